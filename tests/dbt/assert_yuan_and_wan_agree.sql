-- Every money figure is given in 万元 and 元; the two must describe the same amount. 万元 keeps
-- four decimals (one 元), so they may differ by less than one 元. Fails with the facts where
-- they do not.
with

by_function as (
    select
        'fct_expenditure_by_function' as model_name,
        document_id,
        source_line,
        amount_wan,
        amount_yuan
    from {{ ref('fct_expenditure_by_function') }}
),

by_economic as (
    select
        'fct_expenditure_by_economic' as model_name,
        document_id,
        source_line,
        amount_wan,
        amount_yuan
    from {{ ref('fct_expenditure_by_economic') }}
),

final as (
    select *
    from (
        select * from by_function
        union all
        select * from by_economic
    ) as facts
    where abs(amount_wan * 10000 - amount_yuan) >= 1
)

select * from final
