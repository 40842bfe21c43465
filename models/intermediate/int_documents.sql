with

-- quarantined documents (macros/quarantine.sql) are not published; they stay in raw
documents as (
    select * from {{ ref('stg_landed__documents') }}
    {{- without_quarantined() }}
),

divisions as (
    select * from {{ ref('stg_reference__china_county_divisions') }}
),

final as (
    select
        documents.document_id,
        {{ dbt.hash(dbt.concat([
            "coalesce(documents.district_code, '')",
            "'|'",
            "documents.unit_name"
        ])) }} as unit_id,
        documents.unit_name,
        documents.unit_code,
        documents.parent_unit_name,
        documents.district_code,
        coalesce(divisions.name, documents.district_name) as district_name,
        divisions.city_name,
        divisions.province_name,
        documents.fiscal_year,
        documents.doc_kind,
        documents.scope,
        documents.title,
        documents.title_line,
        documents.source_file,
        documents.sha256,
        documents.content_sha256,
        documents.encoding,
        documents.published_date,
        documents.supersedes,
        documents.is_superseded,
        documents.parser_version,
        documents.line_count,
        documents.table_count,
        documents.rows_landed,
        documents.unparsed_lines
    from documents
    left join divisions
        on documents.district_code = divisions.code
)

select * from final
