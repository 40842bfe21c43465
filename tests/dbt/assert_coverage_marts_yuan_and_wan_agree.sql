-- Money in the coverage marts is given in 万元 and 元; the two must describe the same amount
-- (万元 keeps four decimals, one 元, so they may differ by less than one 元). Fails with the
-- rows where they do not.
with

three_public as (
    select
        'fct_three_public' as model_name,
        document_id,
        source_line,
        amount_wan,
        amount_yuan
    from {{ ref('fct_three_public') }}
    union all
    select
        'fct_three_public (prior year)' as model_name,
        document_id,
        source_line,
        prior_year_amount_wan as amount_wan,
        prior_year_amount_yuan as amount_yuan
    from {{ ref('fct_three_public') }}
),

income as (
    select
        'fct_income_by_source' as model_name,
        document_id,
        source_line,
        amount_wan,
        amount_yuan
    from {{ ref('fct_income_by_source') }}
),

procurement as (
    select
        'fct_procurement' as model_name,
        document_id,
        source_line,
        amount_wan,
        amount_yuan
    from {{ ref('fct_procurement') }}
),

targets as (
    select
        'fct_performance_targets' as model_name,
        document_id,
        source_line,
        project_budget_wan as amount_wan,
        project_budget_yuan as amount_yuan
    from {{ ref('fct_performance_targets') }}
),

evaluations as (
    select
        'fct_performance_evaluation' as model_name,
        document_id,
        source_line,
        executed_wan as amount_wan,
        executed_yuan as amount_yuan
    from {{ ref('fct_performance_evaluation') }}
),

final as (
    select *
    from (
        select * from three_public
        union all
        select * from income
        union all
        select * from procurement
        union all
        select * from targets
        union all
        select * from evaluations
    ) as facts
    where
        (amount_wan is null) != (amount_yuan is null)
        or abs(amount_wan * 10000 - amount_yuan) >= 1
)

select * from final
