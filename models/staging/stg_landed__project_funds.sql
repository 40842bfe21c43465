{%- set money_columns = ['annual_budget', 'adjusted_budget', 'executed'] -%}

with

source as (
    select * from {{ seed_relation('landed_project_funds') }}
    {{- without_quarantined() }}
),

typed as (
    select
        document_id,
        {{ to_integer('table_id') }} as table_id,
        {{ to_integer('line_number') }} as line_number,
        {{ blank_to_null('project_name') }} as project_name,
        {{ blank_to_null('fund_label') }} as fund_label,
        {{ blank_to_null('amount_unit') }} as amount_unit,
        {%- for column in money_columns %}
        {{ to_decimal(column, 20, 4) }} as {{ column }},
        {%- endfor %}
        {{ to_decimal('execution_rate', 20, 4) }} as execution_rate,
        {{ to_decimal('score', 20, 4) }} as score
    from source
),

final as (
    select
        *,
        {{ amount_to_wan('annual_budget', 'amount_unit') }} as annual_budget_wan,
        {{ amount_to_wan('adjusted_budget', 'amount_unit') }} as adjusted_budget_wan,
        {{ amount_to_wan('executed', 'amount_unit') }} as executed_wan
    from typed
)

select * from final
