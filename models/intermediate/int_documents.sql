with

documents as (
    select * from {{ ref('stg_landed__documents') }}
),

divisions as (
    select * from {{ ref('int_divisions') }}
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
        documents.is_superseded,
        documents.parser_version,
        documents.line_count,
        documents.table_count,
        documents.rows_landed,
        documents.unparsed_lines
    from documents
    left join divisions
        on documents.district_code = divisions.division_code
)

select * from final
