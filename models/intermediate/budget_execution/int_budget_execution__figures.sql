{#-
    Every figure mart_budget_execution is made of, one row each: a budget (年初预算数), an
    adjusted budget (调整预算数 / 全年预算数) or an actual (决算数) of a unit, fiscal year, fund
    source and function code (line_kind 'function') or of the unit's whole expenditure
    (line_kind 'total'), with where it was read. Sources:
    - final_accounts_table: a final-accounts function table — the 决算 cells (the fact) and
      the cells of its columns headed 年初预算数 / 调整预算数 (macro budget_column_kind);
    - final_accounts_prose: the final accounts' narrative — per-code statements
      (…（类）…（款）…（项）…年初预算为 X 万元，支出决算为 Y 万元, code resolved from the path
      against the document's own tables, then the reference), its 类 figures, and its
      一般公共预算财政拨款支出 年初预算 / 全年预算 / 决算 sentence;
    - final_accounts_prose_variance: a budget computed from a printed actual and its printed
      change against the initial budget (…支出 774.33 万元，较年初预算数增加 115.05 万元);
    - budget_document: the unit's budget document of the same fiscal year (its total column).
    Only the newest publication of a document counts (superseded ones are left out).
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

documents as (
    select * from {{ ref('int_documents__identified') }}
    where not is_superseded
    {{- changed_documents_filter(keyword='and') }}
),

functions as (
    select * from {{ ref('fct_expenditure_by_function') }}
    where
        measure = 'total'
        and not is_comparative
        and document_id in (select documents.document_id from documents)
),

narrative as (
    select * from {{ ref('fct_narrative_figures') }}
    where
        doc_kind = 'final_accounts'
        and amount_wan is not null
        and document_id in (select documents.document_id from documents)
),

cells as (
    select * from {{ ref('stg_landed__table_cells') }}
    {{- changed_documents_filter() }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
    {{- changed_documents_filter() }}
),

reference_names as (
    select * from {{ ref('stg_reference__functional_classification') }}
),

class_names as (
    select * from {{ ref('int_expenditure__function_names') }}
),

-- the 决算 of every code in final accounts: the fact, from its table or its prose 类 figures
actuals as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        'function' as line_kind,
        function_code,
        cast(null as {{ dbt.type_string() }}) as function_path,
        'actual' as role,
        case
            when source_kind = 'table' then 'final_accounts_table'
            else 'final_accounts_prose'
        end as source,
        document_id,
        source_line,
        amount_wan
    from functions
    where doc_kind = 'final_accounts'
),

-- the budget of the same year printed in the unit's budget document
budget_documents as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        'function' as line_kind,
        function_code,
        cast(null as {{ dbt.type_string() }}) as function_path,
        'budget' as role,
        'budget_document' as source,
        document_id,
        source_line,
        amount_wan
    from functions
    where doc_kind = 'budget' and source_kind = 'table'
),

-- cells of the 年初预算数 / 调整预算数 columns of final-accounts function tables
table_budgets as (
    select
        documents.unit_id,
        documents.fiscal_year,
        case tables.table_kind
            when 'general_budget_expenditure' then 'general_public_budget'
            when 'expenditure_summary' then 'all'
            when 'government_fund_expenditure' then 'government_fund'
            when 'state_capital_expenditure' then 'state_capital'
            when 'fiscal_expenditure' then 'fiscal_appropriation'
        end as fund_source,
        'function' as line_kind,
        cells.code as function_code,
        cast(null as {{ dbt.type_string() }}) as function_path,
        case {{ budget_column_kind('cells.column_label') }}
            when 'initial_budget' then 'budget'
            else 'adjusted_budget'
        end as role,
        'final_accounts_table' as source,
        cells.document_id,
        cells.line_number as source_line,
        cells.amount_wan
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    inner join documents
        on cells.document_id = documents.document_id
    where
        documents.doc_kind = 'final_accounts'
        and not cells.is_repeat
        and cells.amount_wan is not null
        and {{ full_match('cells.code', '[0-9]{3}([0-9]{2}){0,2}') }}
        and tables.table_kind in (
            'general_budget_expenditure',
            'expenditure_summary',
            'government_fund_expenditure',
            'state_capital_expenditure',
            'fiscal_expenditure'
        )
        and {{ budget_column_kind('cells.column_label') }} is not null
        and cells.column_year is null
),

-- per-code prose statements: the printed path split into its names
statements as (
    select
        document_id,
        unit_id,
        fiscal_year,
        fund_source,
        figure_seq,
        source_line,
        qualifier,
        subject as function_path,
        amount_wan,
        {{ normalise_function_name("nullif(regexp_extract(subject, '^(.+?)[（(]类[）)]', 1), '')") }}
            as class_name,
        {{ normalise_function_name(
            "nullif(regexp_extract(subject, '[（(]类[）)](.+?)[（(]款[）)]', 1), '')"
        ) }} as section_name,
        {{ normalise_function_name(
            "nullif(regexp_extract(subject, '[（(]款[）)](.+?)[（(]项[）)]', 1), '')"
        ) }} as item_name,
        nullif(regexp_extract(subject, '[（(](2[0-9]{2}(?:[0-9]{2}){1,2})[）)]', 1), '')
            as printed_code
    from narrative
    where
        figure_key = 'function_expenditure'
        and qualifier in ('initial_budget', 'adjusted_budget', 'amount')
),

-- names a code can be resolved from: the document's own table rows first, then the reference
code_names as (
    select distinct
        document_id,
        1 as name_priority,
        function_code as code,
        {{ normalise_function_name('function_name') }} as name_normalised
    from functions
    where source_kind = 'table' and function_name is not null
    union all
    select distinct
        cast(null as {{ dbt.type_string() }}) as document_id,
        2 as name_priority,
        code,
        name_normalised
    from reference_names
    union all
    select distinct
        cast(null as {{ dbt.type_string() }}) as document_id,
        2 as name_priority,
        function_code as code,
        name_normalised
    from class_names
),

-- the path resolved level by level: 类 by its name, 款 under its 类, 项 under its 款
class_resolved as (
    {{ resolve_code_level('statements', 'class_name', 3, 'class_code') }}
),

section_resolved as (
    {{ resolve_code_level('class_resolved', 'section_name', 5, 'section_code', 'class_code') }}
),

item_resolved as (
    {{ resolve_code_level('section_resolved', 'item_name', 7, 'item_code', 'section_code') }}
),

-- the code a statement is of: printed, or its path resolved to the level the path names
-- (a path naming a 项 that does not resolve stays unresolved: never its 款)
statement_codes as (
    select
        *,
        case
            when printed_code is not null then printed_code
            when item_name is not null then item_code
            when section_name is not null then section_code
            else class_code
        end as function_code
    from item_resolved
),

prose_statements as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        case when function_code is null then 'function_unresolved' else 'function' end
            as line_kind,
        function_code,
        case when function_code is null then function_path end as function_path,
        {{ narrative_budget_role('qualifier') }} as role,
        'final_accounts_prose' as source,
        document_id,
        source_line,
        amount_wan
    from statement_codes
),

-- 一般公共预算财政拨款支出 年初预算为 X，全年预算为 Z，支出决算为 Y: the unit's total
prose_totals as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        'total' as line_kind,
        cast(null as {{ dbt.type_string() }}) as function_code,
        cast(null as {{ dbt.type_string() }}) as function_path,
        {{ narrative_budget_role('qualifier') }} as role,
        'final_accounts_prose' as source,
        document_id,
        source_line,
        amount_wan
    from narrative
    where
        figure_key = 'general_public_budget_expenditure'
        and qualifier in ('initial_budget', 'adjusted_budget', 'amount')
),

-- 较年初预算数增加 X 万元 after a printed actual: the budget is the actual less the change
variances as (
    select * from narrative
    where
        qualifier = 'budget_variance'
        and figure_key in ('class_expenditure', 'general_public_budget_expenditure')
),

-- the function figures the prose prints per line (a change is placed on a line with one)
narrative_lines as (
    select
        document_id,
        source_line,
        count(*) as function_figures
    from functions
    where source_kind = 'narrative'
    group by document_id, source_line
),

class_variances as (
    select
        functions.unit_id,
        functions.fiscal_year,
        functions.fund_source,
        'function' as line_kind,
        functions.function_code,
        cast(null as {{ dbt.type_string() }}) as function_path,
        'budget' as role,
        'final_accounts_prose_variance' as source,
        functions.document_id,
        variances.source_line,
        functions.amount_wan - variances.amount_wan as amount_wan
    from variances
    inner join functions
        on
            variances.document_id = functions.document_id
            and variances.source_line = functions.source_line
            and functions.source_kind = 'narrative'
            and functions.function_level = 1
    -- one 类 figure on the line, else the change cannot be placed for sure
    inner join narrative_lines
        on
            variances.document_id = narrative_lines.document_id
            and variances.source_line = narrative_lines.source_line
            and narrative_lines.function_figures = 1
    where
        variances.figure_key = 'class_expenditure'
),

-- the change follows its actual: the nearest actual printed before it in the section
total_variance_actuals as (
    select
        variances.unit_id,
        variances.fiscal_year,
        variances.fund_source,
        variances.document_id,
        variances.source_line,
        actual.amount_wan - variances.amount_wan as amount_wan,
        row_number() over (
            partition by variances.document_id, variances.figure_seq
            order by actual.figure_seq desc
        ) as actual_rank
    from variances
    inner join narrative as actual
        on
            variances.document_id = actual.document_id
            and variances.section = actual.section
            and variances.figure_key = actual.figure_key
            and variances.fund_source = actual.fund_source
            and variances.figure_seq > actual.figure_seq
            and actual.qualifier = 'amount'
    where
        variances.figure_key = 'general_public_budget_expenditure'
),

total_variances as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        'total' as line_kind,
        cast(null as {{ dbt.type_string() }}) as function_code,
        cast(null as {{ dbt.type_string() }}) as function_path,
        'budget' as role,
        'final_accounts_prose_variance' as source,
        document_id,
        source_line,
        amount_wan
    from total_variance_actuals
    where actual_rank = 1
),

unioned as (
    select * from actuals
    union all
    select * from budget_documents
    union all
    select * from table_budgets
    union all
    select * from prose_statements
    union all
    select * from prose_totals
    union all
    select * from class_variances
    union all
    select * from total_variances
),

final as (
    select
        unit_id,
        fiscal_year,
        fund_source,
        line_kind,
        function_code,
        function_path,
        role,
        source,
        document_id,
        source_line,
        amount_wan
    from unioned
    where unit_id is not null and fiscal_year is not null
)

select * from final
