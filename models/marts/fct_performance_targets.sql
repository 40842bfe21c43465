{#-
    Performance targets, one row per document × project × indicator, from the whole-unit
    target table (project_name null), the project target tables and the final-accounts
    self-evaluation tables (which add actual_value and score).
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

indicators as (
    select * from {{ ref('int_performance__indicators') }}
    {{- changed_documents_filter() }}
),

final as (
    select
        {{ document_columns('documents') }},
        cast('table' as {{ dbt.type_string() }}) as source_kind,
        cast(indicators.line_number as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(indicators.indicator_key as {{ dbt.type_string() }}) as indicator_key,
        cast(indicators.table_id as {{ dbt.type_int() }}) as table_id,
        cast(indicators.table_kind as {{ dbt.type_string() }}) as table_kind,
        cast(indicators.project_name as {{ dbt.type_string() }}) as project_name,
        cast(indicators.project_code as {{ dbt.type_string() }}) as project_code,
        cast(indicators.project_budget_wan as decimal(18, 4)) as project_budget_wan,
        cast(indicators.project_budget_wan * 10000 as decimal(20, 2)) as project_budget_yuan,
        cast(indicators.indicator_level1 as {{ dbt.type_string() }}) as indicator_level1,
        cast(indicators.indicator_level2 as {{ dbt.type_string() }}) as indicator_level2,
        cast(indicators.indicator_level3 as {{ dbt.type_string() }}) as indicator_level3,
        cast(indicators.indicator_name as {{ dbt.type_string() }}) as indicator_name,
        cast(indicators.measure_unit as {{ dbt.type_string() }}) as measure_unit,
        cast(indicators.operator as {{ dbt.type_string() }}) as operator,
        cast(indicators.target_value as decimal(20, 4)) as target_value,
        cast(indicators.target_text as {{ dbt.type_string() }}) as target_text,
        cast(indicators.adjusted_target_text as {{ dbt.type_string() }}) as adjusted_target_text,
        cast(indicators.actual_value as decimal(20, 4)) as actual_value,
        cast(indicators.actual_text as {{ dbt.type_string() }}) as actual_text,
        cast(indicators.weight as decimal(20, 4)) as weight,
        cast(indicators.score as decimal(20, 4)) as score,
        cast(indicators.is_core as {{ dbt.type_boolean() }}) as is_core
    from indicators
    inner join documents
        on indicators.document_id = documents.document_id
    {{ join_page_of('indicators.document_id', 'indicators.line_number') }}
)

select * from final
