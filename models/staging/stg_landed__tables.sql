with

source as (
    select * from {{ seed_relation('landed_tables') }}
    {{- without_quarantined() }}
),

final as (
    select
        document_id,
        {{ to_integer('table_id') }} as table_id,
        table_kind,
        identified_by,
        {{ blank_to_null('label') }} as label,
        {{ blank_to_null('title') }} as title,
        {{ to_integer('title_line') }} as title_line,
        {{ blank_to_null('unit') }} as unit,
        header_source,
        column_labels,
        {{ to_integer('first_line') }} as first_line,
        {{ to_integer('last_line') }} as last_line,
        {{ to_integer('row_count') }} as row_count,
        {{ to_integer('cell_count') }} as cell_count,
        {{ to_integer('repeated_rows') }} as repeated_rows,
        {{ blank_to_null('note') }} as note
    from source
)

select * from final
