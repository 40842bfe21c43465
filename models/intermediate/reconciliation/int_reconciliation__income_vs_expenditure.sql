{#-
    Check: income total = expenditure total in the tables.
    - in each two-sided summary table (部门收支总表 / 财政拨款收支总表): the income side's
      total row against the expenditure side's total row at the same level (收入总计 ↔
      支出总计, 收入合计 ↔ 支出合计, 本年收入 ↔ 本年支出; the first level printed on both sides
      is used), first column of each side;
    - across tables: the 合计 row of the income table (收入总表, 总计 column) against the
      合计 row of the expenditure table (支出总表, 总计 column).
    A page-break repeat is never counted. One row per document × table pair; expected = the
    expenditure total, actual = the income total.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

table_cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{- changed_documents_filter() }}
),

side_cells as (
    select
        table_cells.*,
        {{ normalise_function_name('table_cells.row_label') }} as row_name
    from table_cells
    where
        table_cells.side is not null
        and table_cells.period = 'current'
),

side_columns as (
    select
        document_id,
        table_id,
        side,
        min(column_number) as column_number
    from side_cells
    group by document_id, table_id, side
),

side_totals as (
    select
        side_cells.document_id,
        side_cells.table_id,
        side_cells.table_kind,
        side_cells.side,
        side_cells.line_number,
        side_cells.row_label,
        side_cells.amount_wan,
        case
            when side_cells.row_name in ('收入总计', '支出总计', '总计') then 1
            when side_cells.row_name in ('收入合计', '支出合计', '合计') then 2
            when side_cells.row_name in ('本年收入', '本年支出', '本年收入合计', '本年支出合计')
                then 3
        end as total_level
    from side_cells
    inner join side_columns
        on
            side_cells.document_id = side_columns.document_id
            and side_cells.table_id = side_columns.table_id
            and side_cells.side = side_columns.side
            and side_cells.column_number = side_columns.column_number
),

summary_pairs as (
    select *
    from (
        select
            income.document_id,
            income.table_id,
            income.table_kind,
            income.total_level,
            income.line_number as income_line,
            income.row_label as income_label,
            income.amount_wan as income_wan,
            expenditure.line_number as expenditure_line,
            expenditure.row_label as expenditure_label,
            expenditure.amount_wan as expenditure_wan,
            row_number() over (
                partition by income.document_id, income.table_id
                order by income.total_level, income.line_number, expenditure.line_number
            ) as pair_rank
        from side_totals as income
        inner join side_totals as expenditure
            on
                income.document_id = expenditure.document_id
                and income.table_id = expenditure.table_id
                and income.total_level = expenditure.total_level
                and expenditure.side = 'expenditure'
        where
            income.side = 'income'
            and income.total_level is not null
    ) as ranked
    where pair_rank = 1
),

-- The 合计 row of the first income table and of the first expenditure table.
table_totals as (
    select *
    from (
        select
            document_id,
            table_id,
            table_kind,
            line_number,
            amount_wan,
            row_number() over (
                partition by document_id, table_kind
                order by table_id, row_number, column_number
            ) as total_rank
        from table_cells
        where
            table_kind in ('income_summary', 'expenditure_summary')
            and is_total_row
            and measure = 'total'
            and period = 'current'
    ) as ranked
    where total_rank = 1
),

checks as (
    select
        document_id,
        {{ dbt.concat([
            "'income_vs_expenditure:'", "table_kind", "':'",
            "case total_level when 1 then '总计' when 2 then '合计' else '本年' end"
        ]) }} as check_name,
        {{ dbt.concat(["'@table'", dbt.safe_cast('table_id', dbt.type_string())]) }}
            as location,
        income_line as source_line,
        expenditure_wan as expected_wan,
        income_wan as actual_wan,
        {{ dbt.concat([
            "'table '", dbt.safe_cast('table_id', dbt.type_string()), "' ('", "table_kind",
            "'): income row '", "coalesce(income_label, '')", "' (line '",
            dbt.safe_cast('income_line', dbt.type_string()), "') '",
            "cast(cast(income_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")",
            "', expenditure row '", "coalesce(expenditure_label, '')", "' (line '",
            dbt.safe_cast('expenditure_line', dbt.type_string()), "') '",
            "cast(cast(expenditure_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")"
        ]) }} as detail
    from summary_pairs
    union all
    select
        income.document_id,
        'income_vs_expenditure:income_summary:expenditure_summary' as check_name,
        {{ dbt.concat([
            "'@table'", dbt.safe_cast('income.table_id', dbt.type_string()),
            "':table'", dbt.safe_cast('expenditure.table_id', dbt.type_string())
        ]) }} as location,
        income.line_number as source_line,
        expenditure.amount_wan as expected_wan,
        income.amount_wan as actual_wan,
        {{ dbt.concat([
            "'income table '", dbt.safe_cast('income.table_id', dbt.type_string()),
            "' 合计 (line '", dbt.safe_cast('income.line_number', dbt.type_string()), "') '",
            "cast(cast(income.amount_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")",
            "', expenditure table '", dbt.safe_cast('expenditure.table_id', dbt.type_string()),
            "' 合计 (line '", dbt.safe_cast('expenditure.line_number', dbt.type_string()), "') '",
            "cast(cast(expenditure.amount_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")"
        ]) }} as detail
    from table_totals as income
    inner join table_totals as expenditure
        on
            income.document_id = expenditure.document_id
            and expenditure.table_kind = 'expenditure_summary'
    where income.table_kind = 'income_summary'
),

final as (
    select
        {{ reconciliation_check_columns(
            family="'income_vs_expenditure'",
            location=['location'],
            source_kind="'table'",
            figure_count='1'
        ) }}
    from checks
)

select * from final
