with

files as (
    select * from {{ ref('stg_landed__files') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

final as (
    select
        files.source_file,
        files.sha256,
        files.size_bytes,
        files.encoding,
        files.status,
        files.reason,
        files.document_id,
        files.duplicate_of,
        documents.unit_name,
        documents.district_code,
        documents.district_name,
        documents.division_level,
        documents.fiscal_year,
        documents.doc_kind,
        documents.identified_by,
        coalesce(files.rows_landed, 0) as rows_landed,
        coalesce(files.unparsed_lines, 0) as unparsed_lines,
        coalesce(files.repeated_rows_dropped, 0) as repeated_rows_dropped,
        files.line_offset
    from files
    left join documents
        on files.document_id = documents.document_id
)

select * from final
