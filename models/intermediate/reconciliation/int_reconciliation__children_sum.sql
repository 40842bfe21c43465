{#-
    Check: in every code table and every money column, the rows below a parent sum to the
    parent printed (项 → 款 → 类 → 合计, economic 款 → 类 → 合计). A row's parent is the
    nearest enclosing code printed in the same table (the 5-digit prefix, else the 3-digit
    prefix, else the 合计 row), so tables that skip a level still check. A blank cell reads
    as 0 when its row is printed. Page-break repeats are excluded (they are not figures).
    One row per document × table × parent × column; expected = the parent, actual = the sum.
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

table_rows as (
    select
        document_id,
        table_id,
        table_kind,
        row_number,
        min(line_number) as line_number,
        min(code) as code,
        min(code_level) as code_level,
        min(row_label) as row_label,
        max(case when is_total_row then 1 else 0 end) as is_total_row
    from table_cells
    where code_level is not null or is_total_row
    group by document_id, table_id, table_kind, row_number
),

-- The first printed row of each code (and the first 合计 row) in a table is the parent.
parent_rows as (
    select
        document_id,
        table_id,
        row_number,
        line_number,
        row_label,
        parent_key
    from (
        select
            *,
            case when is_total_row = 1 then 'total' else code end as parent_key,
            row_number() over (
                partition by
                    document_id, table_id,
                    case when is_total_row = 1 then 'total' else code end
                order by row_number
            ) as occurrence
        from table_rows
        where is_total_row = 1 or code_level in (1, 2)
    ) as candidates
    where occurrence = 1
),

child_rows as (
    select
        table_rows.document_id,
        table_rows.table_id,
        table_rows.row_number,
        table_rows.code,
        case
            when table_rows.code_level = 3 and section_rows.parent_key is not null
                then section_rows.parent_key
            when table_rows.code_level in (2, 3) and class_rows.parent_key is not null
                then class_rows.parent_key
            when total_rows.parent_key is not null then 'total'
        end as parent_key
    from table_rows
    left join parent_rows as section_rows
        on
            table_rows.document_id = section_rows.document_id
            and table_rows.table_id = section_rows.table_id
            and section_rows.parent_key = substr(table_rows.code, 1, 5)
            and {{ dbt.length('section_rows.parent_key') }} = 5
    left join parent_rows as class_rows
        on
            table_rows.document_id = class_rows.document_id
            and table_rows.table_id = class_rows.table_id
            and class_rows.parent_key = substr(table_rows.code, 1, 3)
            and {{ dbt.length('class_rows.parent_key') }} = 3
    left join parent_rows as total_rows
        on
            table_rows.document_id = total_rows.document_id
            and table_rows.table_id = total_rows.table_id
            and total_rows.parent_key = 'total'
    where table_rows.code_level is not null
),

table_columns as (
    select
        document_id,
        table_id,
        column_number,
        min(table_kind) as table_kind,
        min(column_label) as column_label,
        min(
            {{ dbt.concat([
                "case period when 'current' then '' else period || '_' end",
                "coalesce(measure, source, 'column_' || "
                ~ dbt.safe_cast('column_number', dbt.type_string()) ~ ")"
            ]) }}
        ) as column_name
    from table_cells
    group by document_id, table_id, column_number
),

child_sums as (
    select
        table_cells.document_id,
        table_cells.table_id,
        child_rows.parent_key,
        table_cells.column_number,
        sum(table_cells.amount_wan) as children_wan,
        count(*) as children_printed
    from table_cells
    inner join child_rows
        on
            table_cells.document_id = child_rows.document_id
            and table_cells.table_id = child_rows.table_id
            and table_cells.row_number = child_rows.row_number
    where child_rows.parent_key is not null
    group by
        table_cells.document_id,
        table_cells.table_id,
        child_rows.parent_key,
        table_cells.column_number
),

child_counts as (
    select
        document_id,
        table_id,
        parent_key,
        count(*) as child_rows
    from child_rows
    where parent_key is not null
    group by document_id, table_id, parent_key
),

parent_values as (
    select
        parent_rows.document_id,
        parent_rows.table_id,
        parent_rows.parent_key,
        table_cells.column_number,
        table_cells.amount_wan as parent_wan
    from parent_rows
    inner join table_cells
        on
            parent_rows.document_id = table_cells.document_id
            and parent_rows.table_id = table_cells.table_id
            and parent_rows.row_number = table_cells.row_number
),

-- Every (parent, column) where the parent or one of its children prints a figure.
check_cells as (
    select
        document_id,
        table_id,
        parent_key,
        column_number
    from child_sums
    union
    select
        parent_values.document_id,
        parent_values.table_id,
        parent_values.parent_key,
        parent_values.column_number
    from parent_values
    inner join child_counts
        on
            parent_values.document_id = child_counts.document_id
            and parent_values.table_id = child_counts.table_id
            and parent_values.parent_key = child_counts.parent_key
),

checks as (
    select
        check_cells.document_id,
        check_cells.table_id,
        table_columns.table_kind,
        check_cells.parent_key,
        parent_rows.row_label as parent_label,
        parent_rows.line_number as parent_line,
        check_cells.column_number,
        table_columns.column_label,
        table_columns.column_name,
        parent_values.parent_wan,
        child_sums.children_wan,
        coalesce(child_sums.children_printed, 0) as children_printed,
        child_counts.child_rows
    from check_cells
    inner join parent_rows
        on
            check_cells.document_id = parent_rows.document_id
            and check_cells.table_id = parent_rows.table_id
            and check_cells.parent_key = parent_rows.parent_key
    inner join table_columns
        on
            check_cells.document_id = table_columns.document_id
            and check_cells.table_id = table_columns.table_id
            and check_cells.column_number = table_columns.column_number
    inner join child_counts
        on
            check_cells.document_id = child_counts.document_id
            and check_cells.table_id = child_counts.table_id
            and check_cells.parent_key = child_counts.parent_key
    left join parent_values
        on
            check_cells.document_id = parent_values.document_id
            and check_cells.table_id = parent_values.table_id
            and check_cells.parent_key = parent_values.parent_key
            and check_cells.column_number = parent_values.column_number
    left join child_sums
        on
            check_cells.document_id = child_sums.document_id
            and check_cells.table_id = child_sums.table_id
            and check_cells.parent_key = child_sums.parent_key
            and check_cells.column_number = child_sums.column_number
),

final as (
    select
        {{ reconciliation_check_columns(
            family="'children_sum'",
            name=[
                "'children_sum:'", "table_kind", "':'", "parent_key", "':'", "column_name"
            ],
            location=[
                "'@table'", dbt.safe_cast('table_id', dbt.type_string()),
                "':column'", dbt.safe_cast('column_number', dbt.type_string())
            ],
            source_kind="'table'",
            source_line='parent_line',
            expected_wan='coalesce(parent_wan, 0)',
            actual_wan='coalesce(children_wan, 0)',
            figure_count='children_printed',
            detail=dbt.concat([
                "'table '", dbt.safe_cast('table_id', dbt.type_string()),
                "' (' ", "table_kind", "'), column '''", "coalesce(column_label, '')", "''': '",
                "case when parent_key = 'total' then coalesce(parent_label, '合计') "
                ~ "else parent_key || ' ' || coalesce(parent_label, '') end",
                "' printed '", wan_text('parent_wan', 'blank (read as 0)'),
                "', its '", dbt.safe_cast('child_rows', dbt.type_string()),
                "' rows below sum to '", wan_text('coalesce(children_wan, 0)'),
                "' ('", dbt.safe_cast('children_printed', dbt.type_string()),
                "' printed)'"
            ])
        ) }}
    from checks
)

select * from final
