{#-
    Income by function code and income source from the income tables (部门收入总表 / 收入总表 /
    收入决算表), one row per document × function code × income source. Totals (the 总计
    column, the 合计 row) are not sources and are checked in audit_reconciliation.
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
    {{- changed_documents_filter() }}
),

pages as (
    select * from {{ ref('int_documents__pages') }}
    {{- changed_documents_filter() }}
),

income as (
    select * from {{ ref('int_income__by_source') }}
    {{- changed_documents_filter() }}
),

final as (
    select
        {{ document_columns('documents') }},
        cast('table' as {{ dbt.type_string() }}) as source_kind,
        cast(income.line_number as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(income.function_code as {{ dbt.type_string() }}) as function_code,
        cast(income.function_level as {{ dbt.type_int() }}) as function_level,
        cast(income.function_name as {{ dbt.type_string() }}) as function_name,
        cast(income.income_source as {{ dbt.type_string() }}) as income_source,
        cast(income.amount_wan as decimal(18, 4)) as amount_wan,
        cast(income.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(income.table_id as {{ dbt.type_int() }}) as table_id,
        cast(income.column_label as {{ dbt.type_string() }}) as column_label,
        income.header_source = 'template' as is_template_header
    from income
    inner join documents
        on income.document_id = documents.document_id
    {{ join_page_of('income.document_id', 'income.line_number') }}
)

select * from final
