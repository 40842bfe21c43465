{#-
    The headline figures of every document, one row per document, null when not disclosed.
    Source: the narrative (qualifier 'amount'; per key fund_source 'all' first, then
    'general_public_budget', then the lowest line). Where the narrative does not state a figure,
    the tables fill in: total / basic / project expenditure and the general public budget from
    the 合计 row of the expenditure tables (部门支出总表 first, then the 一般公共预算 table),
    personnel / public operating from the 合计 row of the basic-expenditure table.
    `figures_from_tables` lists the columns that came from tables.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{%- set amount_figures = [
    ('grand_total_income_wan', ['total_income']),
    ('grand_total_expenditure_wan', ['total_expenditure']),
    ('current_income_wan', ['current_income']),
    ('current_expenditure_wan', ['current_expenditure']),
    ('general_public_budget_wan', ['general_public_budget_expenditure', 'general_public_budget_income']),
    ('government_fund_wan', ['government_fund_expenditure']),
    ('basic_expenditure_wan', ['basic_expenditure']),
    ('project_expenditure_wan', ['project_expenditure']),
    ('personnel_expenditure_wan', ['personnel_expenditure']),
    ('public_operating_expenditure_wan', ['public_operating_expenditure']),
    ('three_public_total_wan', ['three_public_total']),
    ('operating_funds_wan', ['operating_funds']),
    ('procurement_total_wan', ['procurement_total']),
] -%}

{%- set change_figures = [
    ('total_income_change_wan', ['total_income']),
    ('total_expenditure_change_wan', ['total_expenditure']),
    ('general_public_budget_change_wan', ['general_public_budget_expenditure', 'general_public_budget_income']),
    ('basic_expenditure_change_wan', ['basic_expenditure']),
    ('project_expenditure_change_wan', ['project_expenditure']),
    ('three_public_total_change_wan', ['three_public_total']),
    ('operating_funds_change_wan', ['operating_funds']),
] -%}

{#- column → (table measure source, measure) for the table fallback -#}
{%- set table_figures = [
    ('current_expenditure_wan', 'function', 'total'),
    ('general_public_budget_wan', 'general_budget', 'total'),
    ('basic_expenditure_wan', 'function', 'basic'),
    ('project_expenditure_wan', 'function', 'project'),
    ('personnel_expenditure_wan', 'economic', 'personnel'),
    ('public_operating_expenditure_wan', 'economic', 'public_operating'),
] -%}

with

documents as (
    select * from {{ ref('int_documents__identified') }}
    {{- changed_documents_filter() }}
),

pages as (
    select * from {{ ref('int_documents__pages') }}
    {{- changed_documents_filter() }}
),

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
    {{- changed_documents_filter() }}
),

expenditure_cells as (
    select * from {{ ref('int_expenditure__table_cells') }}
    {{- changed_documents_filter() }}
),

prose_ranked as (
    select
        document_id,
        figure_key,
        qualifier,
        line_number,
        amount_value,
        amount_wan,
        row_number() over (
            partition by document_id, figure_key, qualifier
            order by
                case fund_source
                    when 'all' then 0
                    when 'general_public_budget' then 1
                    else 2
                end,
                line_number,
                amount_value  -- one key stated twice on one line: the same pick every build
        ) as figure_rank
    from prose_figures
    where
        qualifier in ('amount', 'change', 'count')
        and (amount_wan is not null or figure_key = 'vehicle_count')
        and amount_value is not null
),

prose_picked as (
    select * from prose_ranked
    where figure_rank = 1
),

prose_by_document as (
    select
        document_id,
        {%- for column, keys in amount_figures %}
        {%- for key in keys %}
        max(case when figure_key = '{{ key }}' and qualifier = 'amount' then amount_wan end)
            as prose_{{ column }}_{{ loop.index }},
        {%- endfor %}
        {%- endfor %}
        {%- for column, keys in change_figures %}
        {%- for key in keys %}
        max(case when figure_key = '{{ key }}' and qualifier = 'change' then amount_wan end)
            as prose_{{ column }}_{{ loop.index }},
        {%- endfor %}
        {%- endfor %}
        max(
            case
                when figure_key = 'vehicle_count' and qualifier in ('count', 'amount')
                    then {{ dbt.safe_cast('amount_value', dbt.type_int()) }}
            end
        ) as prose_vehicle_count,
        min(line_number) as first_prose_line
    from prose_picked
    group by document_id
),

table_totals_ranked as (
    select
        document_id,
        classification,
        table_kind,
        measure,
        line_number,
        amount_wan,
        row_number() over (
            partition by document_id, classification, measure
            order by
                case table_kind when 'expenditure_summary' then 0 else 1 end,
                table_id,
                line_number,
                column_number
        ) as function_rank,
        row_number() over (
            partition by document_id, table_kind, measure
            order by table_id, line_number, column_number
        ) as kind_rank
    from expenditure_cells
    where
        row_type = 'total'
        and not is_comparative
        and table_kind in (
            'expenditure_summary',
            'general_budget_expenditure',
            'general_budget_basic_expenditure'
        )
),

tables_by_document as (
    select
        document_id,
        {%- for column, source, measure in table_figures %}
        {%- if source == 'function' %}
        {%- set picked = "classification = 'function' and function_rank = 1" %}
        {%- elif source == 'general_budget' %}
        {%- set picked = "table_kind = 'general_budget_expenditure' and kind_rank = 1" %}
        {%- else %}
        {%- set picked = "classification = 'economic' and kind_rank = 1" %}
        {%- endif %}
        max(case when {{ picked }} and measure = '{{ measure }}' then amount_wan end)
            as table_{{ column }},
        {%- endfor %}
        min(line_number) as first_table_line
    from table_totals_ranked
    group by document_id
),

combined as (
    select
        documents.document_id,
        {%- for column, keys in amount_figures %}
        coalesce(
            {%- for key in keys %}
            prose_by_document.prose_{{ column }}_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as prose_{{ column }},
        {%- endfor %}
        {%- for column, keys in change_figures %}
        coalesce(
            {%- for key in keys %}
            prose_by_document.prose_{{ column }}_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as {{ column }},
        {%- endfor %}
        {%- for column, source, measure in table_figures %}
        tables_by_document.table_{{ column }},
        {%- endfor %}
        prose_by_document.prose_vehicle_count as vehicle_count,
        prose_by_document.first_prose_line,
        tables_by_document.first_table_line
    from documents
    left join prose_by_document
        on documents.document_id = prose_by_document.document_id
    left join tables_by_document
        on documents.document_id = tables_by_document.document_id
),

resolved as (
    select
        document_id,
        {%- for column, keys in amount_figures %}
        {%- set fallback = [] %}
        {%- for table_column, source, measure in table_figures if table_column == column %}
        {%- do fallback.append(table_column) %}
        {%- endfor %}
        {%- if fallback %}
        coalesce(prose_{{ column }}, table_{{ column }}) as {{ column }},
        prose_{{ column }} is null and table_{{ column }} is not null
            as {{ column }}_from_table,
        {%- else %}
        prose_{{ column }} as {{ column }},
        {%- endif %}
        {%- endfor %}
        {%- for column, keys in change_figures %}
        {{ column }},
        {%- endfor %}
        vehicle_count,
        first_prose_line,
        first_table_line
    from combined
),

final as (
    select
        resolved.document_id,
        documents.unit_id,
        documents.unit_name,
        documents.district_code,
        documents.district_name,
        documents.division_level,
        documents.fiscal_year,
        documents.doc_kind,
        case
            when resolved.first_prose_line is null and resolved.first_table_line is not null
                then 'table'
            else 'narrative'
        end as source_kind,
        coalesce(resolved.first_prose_line, resolved.first_table_line) as source_line,
        {{ page_of() }} as source_page,
        -- total_income_wan / total_expenditure_wan: the year's own income and expenditure.
        -- In final accounts 本年收入合计 / 本年支出合计 (without carry-overs and balances); in
        -- budgets the 收入总计 / 支出总计 (a budget's totals are the year's).
        cast(case
            when documents.doc_kind = 'final_accounts' then resolved.current_income_wan
            else resolved.grand_total_income_wan
        end as decimal(18, 4)) as total_income_wan,
        cast(case
            when documents.doc_kind = 'final_accounts' then resolved.current_expenditure_wan
            else coalesce(resolved.grand_total_expenditure_wan, resolved.current_expenditure_wan)
        end as decimal(18, 4)) as total_expenditure_wan,
        {%- for column, keys in amount_figures
            if column not in ('current_income_wan', 'current_expenditure_wan') %}
        cast(resolved.{{ column }} as decimal(18, 4)) as {{ column }},
        {%- endfor %}
        resolved.vehicle_count,
        {%- for column, keys in change_figures %}
        cast(resolved.{{ column }} as decimal(18, 4)) as {{ column }},
        {%- endfor %}
        concat_ws(
            ', ',
            {%- for column, source, measure in table_figures %}
            {%- if column == 'current_expenditure_wan' %}
            case
                when
                    resolved.{{ column }}_from_table
                    and (
                        documents.doc_kind = 'final_accounts'
                        or resolved.grand_total_expenditure_wan is null
                    )
                    then 'total_expenditure_wan'
            end
            {%- else %}
            case when resolved.{{ column }}_from_table then '{{ column }}' end
            {%- endif %}
            {{- ',' if not loop.last }}
            {%- endfor %}
        ) as figures_from_tables
    from resolved
    inner join documents
        on resolved.document_id = documents.document_id
    {{ join_page_of(
        'resolved.document_id',
        'coalesce(resolved.first_prose_line, resolved.first_table_line)'
    ) }}
)

select * from final
