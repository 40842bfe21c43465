{#-
    How much of its budget a unit spent: unit × fiscal year × fund source × function code (and
    the unit's total), with the budget (年初预算数), the adjusted budget (调整预算数 / 全年预算数),
    the actual (决算数), the execution rate and where each came from. Every candidate figure
    is kept (int_budget_execution__figures); a value is given only when its sources agree (to
    0.005 万元, the rounding of a 元 table against 万元 prose): when they disagree the value is
    null, sources_agree is false and every source's figure stays in its own column.

    Incremental by unit-year (macros/incremental.sql, delete_changed_unit_years): a build after
    a change computes again the unit-years of the changed documents only.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_unit_years(ref('int_budget_execution__figures')) }}"
) }}

with

figures as (
    select * from {{ ref('int_budget_execution__figures') }}
    {{- unit_years_to_compute(ref('int_budget_execution__figures')) }}
),

units as (
    select * from {{ ref('dim_unit') }}
),

functions as (
    select * from {{ ref('dim_function_code') }}
),

-- the unit-years with final accounts: a budget alone has no execution to show
final_accounts_years as (
    select distinct
        unit_id,
        fiscal_year
    from figures
    where source != 'budget_document'
),

figures_keyed as (
    select
        *,
        coalesce(function_code, function_path, '') as line_key
    from figures
),

-- one row per line, role and source: the source's figure (min = max when it agrees with itself)
by_source as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        line_kind,
        line_key,
        role,
        source,
        min(function_code) as function_code,
        min(function_path) as function_path,
        min(amount_wan) as low_wan,
        max(amount_wan) as high_wan,
        -- each document once
        {{ sorted_listagg('document_id', "','", distinct=true) }} as document_ids
    from figures_keyed
    group by unit_id, fiscal_year, fund_source, line_kind, line_key, role, source
),

by_role as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        line_kind,
        line_key,
        role,
        min(function_code) as function_code,
        min(function_path) as function_path,
        min(low_wan) as low_wan,
        max(high_wan) as high_wan,
        -- the most exact source first: a table, then the prose, then what is computed from it,
        -- then the budget document
        min(
            case source
                when 'final_accounts_table' then 1
                when 'final_accounts_prose' then 2
                when 'final_accounts_prose_variance' then 3
                else 4
            end
        ) as best_rank,
        {{ sorted_listagg('source', "','") }} as sources,
        {{ sorted_listagg('document_ids', "','", order_key='source') }} as document_ids,
        max(case when source = 'final_accounts_table' then low_wan end) as table_wan,
        max(case when source = 'final_accounts_prose' then low_wan end) as prose_wan,
        max(case when source = 'final_accounts_prose_variance' then low_wan end) as variance_wan,
        max(case when source = 'budget_document' then low_wan end) as budget_document_wan
    from by_source
    group by unit_id, fiscal_year, fund_source, line_kind, line_key, role
),

valued as (
    select
        *,
        high_wan - low_wan <= 0.005 as agrees,
        case
            when high_wan - low_wan <= 0.005
                then
                    case best_rank
                        when 1 then table_wan
                        when 2 then prose_wan
                        when 3 then variance_wan
                        else budget_document_wan
                    end
        end as value_wan
    from by_role
),

{#- the figures of a role whose sources disagree, as text (Spark prints decimals as DuckDB does) -#}
{%- set disagreement_text -%}
    case
        when not agrees
            then
                role || ' ' || cast(low_wan as {{ dbt.type_string() }}) || '..'
                || cast(high_wan as {{ dbt.type_string() }}) || ' (' || sources || ')'
    end
{%- endset %}

lines as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        line_kind,
        line_key,
        min(function_code) as function_code,
        min(function_path) as function_path,
        max(case when role = 'budget' then value_wan end) as budget_wan,
        max(case when role = 'adjusted_budget' then value_wan end) as adjusted_budget_wan,
        max(case when role = 'actual' then value_wan end) as actual_wan,
        max(case when role = 'budget' then sources end) as budget_source,
        max(case when role = 'budget' then document_ids end) as budget_document_ids,
        max(case when role = 'adjusted_budget' then sources end) as adjusted_budget_source,
        max(case when role = 'adjusted_budget' then document_ids end)
            as adjusted_budget_document_ids,
        max(case when role = 'actual' then sources end) as actual_source,
        max(case when role = 'actual' then document_ids end) as actual_document_ids,
        max(case when role = 'budget' then table_wan end) as budget_table_wan,
        max(case when role = 'budget' then prose_wan end) as budget_prose_wan,
        max(case when role = 'budget' then variance_wan end) as budget_variance_derived_wan,
        max(case when role = 'budget' then budget_document_wan end) as budget_document_wan,
        max(case when role = 'actual' then table_wan end) as actual_table_wan,
        max(case when role = 'actual' then prose_wan end) as actual_prose_wan,
        bool_and(agrees) as sources_agree,
        {{ sorted_listagg(disagreement_text, "'; '", order_key='role') }} as disagreement
    from valued
    group by unit_id, fiscal_year, fund_source, line_kind, line_key
),

final as (
    select
        lines.unit_id,
        units.unit_name,
        units.district_code,
        units.district_name,
        lines.fiscal_year,
        lines.fund_source,
        lines.line_kind,
        lines.function_code,
        case {{ dbt.length('lines.function_code') }}
            when 3 then 1
            when 5 then 2
            when 7 then 3
        end as function_level,
        functions.function_name,
        lines.function_path,
        cast(lines.budget_wan as decimal(18, 4)) as budget_wan,
        cast(lines.adjusted_budget_wan as decimal(18, 4)) as adjusted_budget_wan,
        cast(lines.actual_wan as decimal(18, 4)) as actual_wan,
        cast(
            case when lines.budget_wan != 0 then lines.actual_wan / lines.budget_wan end
            as decimal(18, 6)
        ) as execution_rate,
        cast(
            case
                when lines.adjusted_budget_wan != 0
                    then lines.actual_wan / lines.adjusted_budget_wan
            end
            as decimal(18, 6)
        ) as adjusted_execution_rate,
        lines.budget_source,
        lines.budget_document_ids,
        lines.adjusted_budget_source,
        lines.adjusted_budget_document_ids,
        lines.actual_source,
        lines.actual_document_ids,
        lines.sources_agree,
        lines.disagreement,
        cast(lines.budget_table_wan as decimal(18, 4)) as budget_table_wan,
        cast(lines.budget_prose_wan as decimal(18, 4)) as budget_prose_wan,
        cast(lines.budget_variance_derived_wan as decimal(18, 4)) as budget_variance_derived_wan,
        cast(lines.budget_document_wan as decimal(18, 4)) as budget_document_wan,
        cast(lines.actual_table_wan as decimal(18, 4)) as actual_table_wan,
        cast(lines.actual_prose_wan as decimal(18, 4)) as actual_prose_wan
    from lines
    inner join final_accounts_years
        on
            lines.unit_id = final_accounts_years.unit_id
            and lines.fiscal_year = final_accounts_years.fiscal_year
    left join units
        on lines.unit_id = units.unit_id
    left join functions
        on lines.function_code = functions.function_code
)

select * from final
