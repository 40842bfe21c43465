with

source as (
    select * from {{ seed_relation('landed_prose_figures') }}
    {{- without_quarantined() }}
),

typed as (
    select
        document_id,
        {{ to_integer('line_number') }} as line_number,
        {{ blank_to_null('section') }} as section,
        figure_key,
        {{ blank_to_null('subject') }} as subject,
        qualifier,
        {{ blank_to_null('fund_source') }} as fund_source,
        {{ to_decimal('amount', 20, 4) }} as amount,
        {{ blank_to_null('unit') }} as unit,
        {{ blank_to_null('context') }} as context
    from source
),

final as (
    select
        document_id,
        line_number,
        section,
        figure_key,
        subject,
        qualifier,
        fund_source,
        amount,
        unit,
        context,
        amount as amount_value,
        {{ amount_to_wan('amount', 'unit') }} as amount_wan,
        {{ amount_to_yuan('amount', 'unit') }} as amount_yuan
    from typed
)

select * from final
