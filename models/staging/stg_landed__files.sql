with

source as (
    select * from {{ seed_relation('landed_files') }}
),

final as (
    select
        source_file,
        sha256,
        {{ to_integer('size_bytes') }} as size_bytes,
        {{ blank_to_null('encoding') }} as encoding,
        status,
        {{ blank_to_null('reason') }} as reason,
        {{ blank_to_null('document_id') }} as document_id,
        {{ blank_to_null('duplicate_of') }} as duplicate_of,
        {{ to_integer('rows_landed') }} as rows_landed,
        {{ to_integer('unparsed_lines') }} as unparsed_lines,
        {{ to_integer('repeated_rows_dropped') }} as repeated_rows_dropped,
        coalesce({{ to_integer('line_offset') }}, 0) as line_offset
    from source
)

select * from final
