with

source as (
    select * from {{ seed_relation('landed_pages') }}
    {{- without_quarantined() }}
),

final as (
    select
        document_id,
        {{ to_integer('page_number') }} as page_number,
        {{ to_integer('first_line') }} as first_line,
        {{ to_integer('last_line') }} as last_line,
        coalesce({{ to_boolean('has_text') }}, false) as has_text
    from source
)

select * from final
