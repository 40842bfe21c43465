with

documents as (
    select * from {{ ref('int_documents') }}
),

final as (
    select
        document_id,
        unit_id,
        unit_name,
        district_code,
        district_name,
        fiscal_year,
        doc_kind,
        scope,
        unit_code,
        parent_unit_name,
        title,
        title_line,
        source_file,
        sha256,
        content_sha256,
        encoding,
        published_date,
        supersedes,
        is_superseded,
        parser_version,
        line_count,
        table_count,
        rows_landed,
        unparsed_lines
    from documents
)

select * from final
