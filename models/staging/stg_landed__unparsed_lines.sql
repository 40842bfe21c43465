with

source as (
    select * from {{ seed_relation('landed_unparsed_lines') }}
    {{- without_quarantined() }}
),

final as (
    select
        document_id,
        {{ to_integer('line_number') }} as line_number,
        reason,
        text
    from source
)

select * from final
