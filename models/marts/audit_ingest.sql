with

files as (
    select * from {{ ref('stg_landed__files') }}
),

documents as (
    select * from {{ ref('int_documents__identified') }}
),

-- every landed document, also a quarantined one (int_documents__identified leaves those out)
landed_documents as (
    select * from {{ ref('stg_landed__documents') }}
),

quarantined as (
    select * from {{ ref('int_documents__quarantined') }}
),

final as (
    select
        files.source_file,
        files.sha256,
        files.size_bytes,
        files.encoding,
        case
            when quarantined.document_id is not null and files.status in ('landed', 'partial')
                then 'quarantined'
            else files.status
        end as status,
        case
            when quarantined.document_id is not null and files.status in ('landed', 'partial')
                then {{ dbt.concat([
                    "'quarantined, not published: the document check(s) '",
                    "quarantined.quarantine_checks",
                    "' failed on its rows (see quarantine_detail)'",
                    "coalesce('; ' || files.reason, '')"
                ]) }}
            else files.reason
        end as reason,
        files.document_id,
        files.duplicate_of,
        coalesce(documents.unit_name, landed_documents.unit_name) as unit_name,
        coalesce(documents.district_code, landed_documents.district_code) as district_code,
        coalesce(documents.district_name, landed_documents.district_name) as district_name,
        coalesce(documents.division_level, landed_documents.division_level) as division_level,
        coalesce(documents.fiscal_year, landed_documents.fiscal_year) as fiscal_year,
        coalesce(documents.doc_kind, landed_documents.doc_kind) as doc_kind,
        coalesce(documents.identified_by, landed_documents.identified_by) as identified_by,
        coalesce(files.rows_landed, 0) as rows_landed,
        coalesce(files.unparsed_lines, 0) as unparsed_lines,
        coalesce(files.repeated_rows_dropped, 0) as repeated_rows_dropped,
        files.line_offset,
        files.status as ingest_status,
        case
            when files.status in ('landed', 'partial') then quarantined.quarantine_checks
        end as quarantine_checks,
        case
            when files.status in ('landed', 'partial') then quarantined.quarantine_failing_rows
        end as quarantine_failing_rows,
        case
            when files.status in ('landed', 'partial') then quarantined.quarantine_detail
        end as quarantine_detail
    from files
    left join documents
        on files.document_id = documents.document_id
    left join landed_documents
        on files.document_id = landed_documents.document_id
    left join quarantined
        on files.document_id = quarantined.document_id
)

select * from final
