with

-- quarantined documents (macros/quarantine.sql) are not published; they stay in raw
documents as (
    select * from {{ ref('stg_landed__documents') }}
    {{- without_quarantined() }}
),

divisions as (
    select * from {{ ref('int_divisions__all_levels') }}
),

landed_documents as (
    select * from {{ ref('stg_landed__documents') }}
),

quarantined as (
    select * from {{ ref('int_documents__quarantined') }}
),

-- the unit of every document: the identity rule of dim_unit (int_documents__unit_identity)
unit_identity as (
    select * from {{ ref('int_documents__unit_identity') }}
),

-- a quarantined newest publication does not supersede the one before it: that one is then
-- the newest published (ingest's `supersedes` names it)
superseded_only_by_quarantined as (
    select distinct landed_documents.supersedes as document_id
    from landed_documents
    inner join quarantined
        on landed_documents.document_id = quarantined.document_id
    where landed_documents.supersedes is not null
),

superseded_after_quarantine as (
    select
        documents.*,
        documents.is_superseded
        and documents.document_id not in (
            select superseded_only_by_quarantined.document_id
            from superseded_only_by_quarantined
        ) as is_superseded_published
    from documents
),

-- deeper chains: when every newer publication of a unit, year and kind is quarantined, the
-- newest published one (publication date, then content hash: dbt does not know the files'
-- modification times) is no longer superseded
newest_left as (
    select document_id
    from (
        select
            document_id,
            max(case when is_superseded_published then 0 else 1 end) over (
                partition by coalesce(district_code, ''), unit_name, fiscal_year, doc_kind
            ) as group_has_newest,
            row_number() over (
                partition by coalesce(district_code, ''), unit_name, fiscal_year, doc_kind
                order by published_date desc nulls last, content_sha256 desc
            ) as newest_rank
        from superseded_after_quarantine
    ) as ranked
    where group_has_newest = 0 and newest_rank = 1
),

final as (
    select
        documents.document_id,
        unit_identity.unit_id,
        unit_identity.identity_rule,
        unit_identity.match_name,
        documents.unit_name,
        documents.unit_code,
        documents.parent_unit_name,
        documents.district_code,
        coalesce(divisions.division_name, documents.district_name) as district_name,
        coalesce(divisions.division_level, documents.division_level) as division_level,
        divisions.city_name,
        divisions.province_name,
        documents.fiscal_year,
        documents.doc_kind,
        documents.scope,
        documents.title,
        documents.title_line,
        documents.identified_by,
        documents.source_file,
        documents.sha256,
        documents.content_sha256,
        documents.encoding,
        documents.published_date,
        documents.supersedes,
        documents.is_superseded_published
        and documents.document_id not in (
            select newest_left.document_id from newest_left
        ) as is_superseded,
        documents.parser_version,
        documents.line_count,
        documents.table_count,
        documents.rows_landed,
        documents.unparsed_lines
    from superseded_after_quarantine as documents
    inner join unit_identity
        on documents.document_id = unit_identity.document_id
    left join divisions
        on documents.district_code = divisions.division_code
)

select * from final
