{#-
    Income by function code and income source, read from the income tables (部门收入总表 /
    收入总表 / 收入决算表, table kind income_summary). Only coded rows (类 / 款 / 项) and
    only columns that name a source; the 总计 / 合计 columns and the 合计 row are totals, not
    sources (they are checked in audit_reconciliation). Prior-year columns are left out. When
    one document prints the same code and source twice (two income tables), the first table
    wins.
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

income_cells as (
    select
        document_id,
        table_id,
        identified_by,
        header_source,
        line_number,
        column_number,
        code as function_code,
        code_level as function_level,
        row_label as function_name,
        column_label,
        source as income_source,
        amount_wan,
        amount_yuan
    from table_cells
    where
        table_kind = 'income_summary'
        and code_level is not null
        and source is not null
        and period = 'current'
),

ranked as (
    select
        *,
        row_number() over (
            partition by document_id, function_code, income_source
            order by table_id, line_number, column_number
        ) as occurrence
    from income_cells
),

final as (
    select
        document_id,
        table_id,
        identified_by,
        header_source,
        line_number,
        function_code,
        function_level,
        function_name,
        column_label,
        income_source,
        amount_wan,
        amount_yuan
    from ranked
    where occurrence = 1
)

select * from final
