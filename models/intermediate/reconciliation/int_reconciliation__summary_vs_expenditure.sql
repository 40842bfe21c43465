{#-
    Check: the expenditure side of the summary tables (财政拨款收支总表 / 部门收支总表, rows
    by 类 name) against the expenditure table by code (一般公共预算财政拨款支出表 /
    部门支出总表), 类 by 类 and for the total. The summary's 类 names are resolved through the
    reference 类 names (int_expenditure__function_names). Columns compared: the 一般公共预算 column of the
    财政拨款收支总表 with the 一般公共预算 expenditure table (else the 部门支出总表); the
    total column of the 部门收支总表 with the 部门支出总表 (else the 一般公共预算 table).
    Both directions: a 类 printed in one table and missing from the other reads as 0 there.
    The summary's total is its 本年支出 row, else its 合计 row, else its 总计 row. One row per
    document × summary table × column × 类 (or total); expected = the expenditure table,
    actual = the summary table.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{#- (summary table kind, column type, column value, expenditure table kind, preference) -#}
{%- set pairings = [
    ('fiscal_income_expenditure_summary', 'source', 'general_public_budget',
        'general_budget_expenditure', 1),
    ('fiscal_income_expenditure_summary', 'source', 'general_public_budget',
        'expenditure_summary', 2),
    ('fiscal_income_expenditure_summary', 'source', 'government_fund',
        'government_fund_expenditure', 1),
    ('income_expenditure_summary', 'measure', 'total', 'expenditure_summary', 1),
    ('income_expenditure_summary', 'measure', 'total', 'general_budget_expenditure', 2),
] -%}

with

table_cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{- changed_documents_filter() }}
),

function_names as (
    select * from {{ ref('int_expenditure__function_names') }}
),

pairings as (
    {%- for summary_kind, column_type, column_value, target_kind, preference in pairings %}
    select
        '{{ summary_kind }}' as summary_kind,
        '{{ column_type }}' as column_type,
        '{{ column_value }}' as column_value,
        '{{ target_kind }}' as target_kind,
        {{ preference }} as preference
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- Expenditure-side cells of the summary tables, with the 类 or total they stand for.
summary_cells as (
    select
        table_cells.*,
        {{ normalise_function_name('table_cells.row_label') }} as row_name,
        case when table_cells.measure = 'total' then 'measure' else 'source' end as column_type,
        coalesce(
            case when table_cells.measure = 'total' then 'total' end, table_cells.source
        ) as column_value
    from table_cells
    where
        table_cells.side = 'expenditure'
        and table_cells.period = 'current'
),

summary_columns as (
    select
        document_id,
        table_id,
        table_kind,
        column_type,
        column_value,
        min(column_number) as column_number
    from summary_cells
    where column_value is not null
    group by document_id, table_id, table_kind, column_type, column_value
),

summary_values as (
    select
        summary_cells.document_id,
        summary_cells.table_id,
        summary_cells.table_kind,
        summary_cells.column_type,
        summary_cells.column_value,
        summary_cells.column_label,
        summary_cells.line_number,
        summary_cells.row_label,
        case
            when function_names.function_code is not null then function_names.function_code
            when summary_cells.row_name in ('本年支出', '本年支出合计') then 'total:1'
            when summary_cells.row_name in ('支出合计', '合计') then 'total:2'
            when summary_cells.row_name in ('支出总计', '总计') then 'total:3'
        end as row_key,
        summary_cells.amount_wan
    from summary_cells
    inner join summary_columns
        on
            summary_cells.document_id = summary_columns.document_id
            and summary_cells.table_id = summary_columns.table_id
            and summary_cells.column_number = summary_columns.column_number
    left join function_names
        on summary_cells.row_name = function_names.name_normalised
),

-- One figure per summary column and 类; the total is the first total row printed.
summary_figures as (
    select
        document_id,
        table_id,
        table_kind,
        column_type,
        column_value,
        column_label,
        line_number,
        row_label,
        case when row_key like 'total:%' then 'total' else row_key end as row_key,
        amount_wan
    from (
        select
            *,
            row_number() over (
                partition by
                    document_id, table_id, column_type, column_value,
                    case when row_key like 'total:%' then 'total' else row_key end
                order by row_key, line_number
            ) as figure_rank
        from summary_values
        where row_key is not null
    ) as ranked
    where figure_rank = 1
),

-- The expenditure table each summary column is compared with.
targets as (
    select *
    from (
        select
            summary_columns.document_id,
            summary_columns.table_id as summary_table_id,
            summary_columns.table_kind as summary_kind,
            summary_columns.column_type,
            summary_columns.column_value,
            expenditure_tables.table_id as target_table_id,
            expenditure_tables.table_kind as target_kind,
            expenditure_tables.column_number as target_column_number,
            row_number() over (
                partition by
                    summary_columns.document_id, summary_columns.table_id,
                    summary_columns.column_type, summary_columns.column_value
                order by pairings.preference, expenditure_tables.table_id
            ) as target_rank
        from summary_columns
        inner join pairings
            on
                summary_columns.table_kind = pairings.summary_kind
                and summary_columns.column_type = pairings.column_type
                and summary_columns.column_value = pairings.column_value
        inner join (
            select
                document_id,
                table_id,
                table_kind,
                min(column_number) as column_number
            from table_cells
            where period = 'current' and measure = 'total'
            group by document_id, table_id, table_kind
        ) as expenditure_tables
            on
                summary_columns.document_id = expenditure_tables.document_id
                and pairings.target_kind = expenditure_tables.table_kind
    ) as ranked
    where target_rank = 1
),

target_figures as (
    select
        targets.document_id,
        targets.summary_table_id,
        targets.column_type,
        targets.column_value,
        case when table_cells.is_total_row then 'total' else table_cells.code end as row_key,
        table_cells.line_number,
        table_cells.row_label,
        table_cells.amount_wan,
        row_number() over (
            partition by
                targets.document_id, targets.summary_table_id, targets.column_type,
                targets.column_value,
                case when table_cells.is_total_row then 'total' else table_cells.code end
            order by table_cells.row_number
        ) as figure_rank
    from targets
    inner join table_cells
        on
            targets.document_id = table_cells.document_id
            and targets.target_table_id = table_cells.table_id
            and targets.target_column_number = table_cells.column_number
    where table_cells.code_level = 1 or table_cells.is_total_row
),

compared_keys as (
    select
        targets.document_id,
        targets.summary_table_id,
        targets.column_type,
        targets.column_value,
        summary_figures.row_key
    from targets
    inner join summary_figures
        on
            targets.document_id = summary_figures.document_id
            and targets.summary_table_id = summary_figures.table_id
            and targets.column_type = summary_figures.column_type
            and targets.column_value = summary_figures.column_value
    union
    select
        document_id,
        summary_table_id,
        column_type,
        column_value,
        row_key
    from target_figures
    where figure_rank = 1
),

compared as (
    select
        targets.document_id,
        targets.summary_table_id,
        targets.summary_kind,
        targets.column_type,
        targets.column_value,
        targets.target_table_id,
        targets.target_kind,
        compared_keys.row_key,
        summary_figures.amount_wan as summary_wan,
        summary_figures.line_number as summary_line,
        summary_figures.row_label as summary_label,
        target_figures.amount_wan as target_wan,
        target_figures.line_number as target_line,
        target_figures.row_label as target_label
    from compared_keys
    inner join targets
        on
            compared_keys.document_id = targets.document_id
            and compared_keys.summary_table_id = targets.summary_table_id
            and compared_keys.column_type = targets.column_type
            and compared_keys.column_value = targets.column_value
    left join summary_figures
        on
            compared_keys.document_id = summary_figures.document_id
            and compared_keys.summary_table_id = summary_figures.table_id
            and compared_keys.column_type = summary_figures.column_type
            and compared_keys.column_value = summary_figures.column_value
            and compared_keys.row_key = summary_figures.row_key
    left join target_figures
        on
            compared_keys.document_id = target_figures.document_id
            and compared_keys.summary_table_id = target_figures.summary_table_id
            and compared_keys.column_type = target_figures.column_type
            and compared_keys.column_value = target_figures.column_value
            and compared_keys.row_key = target_figures.row_key
            and target_figures.figure_rank = 1
),

final as (
    select
        {{ reconciliation_check_columns(
            family="'summary_vs_expenditure'",
            name=[
                "'summary_vs_expenditure:'", "summary_kind", "':'", "row_key", "':'",
                "column_value"
            ],
            location=[
                "'@table'", dbt.safe_cast('summary_table_id', dbt.type_string()),
                "':'", "column_type"
            ],
            source_kind="'table'",
            source_line='coalesce(summary_line, target_line)',
            expected_wan='coalesce(target_wan, 0)',
            actual_wan='coalesce(summary_wan, 0)',
            figure_count='1',
            detail=dbt.concat([
                "'summary table '", dbt.safe_cast('summary_table_id', dbt.type_string()),
                "' ('", "summary_kind", "') row '",
                "coalesce(summary_label, 'for ' || row_key || ' missing')", "': '",
                wan_text('summary_wan', 'not printed (read as 0)'),
                "'; expenditure table '", dbt.safe_cast('target_table_id', dbt.type_string()),
                "' ('", "target_kind", "') row '",
                "coalesce(target_label, 'for ' || row_key || ' missing')", "': '",
                wan_text('target_wan', 'not printed (read as 0)')
            ])
        ) }}
    from compared
)

select * from final
