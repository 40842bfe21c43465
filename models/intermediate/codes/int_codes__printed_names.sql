{#-
    The name documents print most often for every classification code printed in a landed code
    table: functional codes (3 / 5 / 7 digits) in the functional-code tables, economic codes
    (3 / 5 digits) in the basic-expenditure table. Page-break repeats are not counted; ties go
    to the first name alphabetically, a null name (a code printed without one) last. One row per
    classification × code; dim_function_code and dim_economic_code name a code by it when the
    reference lists do not.
-#}

with

cells as (
    select * from {{ ref('stg_landed__table_cells') }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
),

classified as (
    select
        cells.code,
        cells.row_label as name,
        case
            when tables.table_kind = 'general_budget_basic_expenditure' then 'economic'
            else 'functional'
        end as classification
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    where
        not cells.is_repeat
        and cells.code is not null
        and (
            (
                tables.table_kind in (
                    'general_budget_expenditure',
                    'expenditure_summary',
                    'government_fund_expenditure',
                    'state_capital_expenditure',
                    'income_summary'
                )
                and {{ full_match('cells.code', '[0-9]{3}([0-9]{2}){0,2}') }}
            )
            or (
                tables.table_kind = 'general_budget_basic_expenditure'
                and {{ full_match('cells.code', '[0-9]{3}([0-9]{2})?') }}
            )
        )
),

printed as (
    select
        classification,
        code,
        name,
        count(*) as times_printed
    from classified
    group by classification, code, name
),

ranked as (
    select
        classification,
        code,
        name,
        times_printed,
        row_number() over (
            partition by classification, code
            order by
                case when name is null then 1 else 0 end asc,
                times_printed desc,
                name asc
        ) as name_rank
    from printed
),

final as (
    select
        classification,
        code,
        name,
        times_printed
    from ranked
    where name_rank = 1
)

select * from final
