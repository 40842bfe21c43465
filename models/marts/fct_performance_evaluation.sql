{#-
    Final-accounts project self-evaluations (项目绩效自评表), one row per document × project:
    budget, execution and score as printed (元 converted to 万元). The evaluation's
    indicators, with their actual values, are in fct_performance_targets.
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

projects as (
    select * from {{ ref('int_performance__projects') }}
    {{- changed_documents_filter() }}
),

final as (
    select
        {{ document_columns('documents') }},
        cast('table' as {{ dbt.type_string() }}) as source_kind,
        cast(projects.line_number as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(projects.project_key as {{ dbt.type_string() }}) as project_key,
        cast(projects.table_id as {{ dbt.type_int() }}) as table_id,
        cast(projects.project_name as {{ dbt.type_string() }}) as project_name,
        cast(projects.project_code as {{ dbt.type_string() }}) as project_code,
        cast(projects.department_name as {{ dbt.type_string() }}) as department_name,
        cast(projects.implementing_unit as {{ dbt.type_string() }}) as implementing_unit,
        cast(projects.amount_unit as {{ dbt.type_string() }}) as amount_unit,
        cast(projects.annual_budget_wan as decimal(18, 4)) as annual_budget_wan,
        cast(projects.fiscal_appropriation_wan as decimal(18, 4)) as fiscal_appropriation_wan,
        cast(projects.adjusted_budget_wan as decimal(18, 4)) as adjusted_budget_wan,
        cast(projects.executed_wan as decimal(18, 4)) as executed_wan,
        cast(projects.executed_wan * 10000 as decimal(20, 2)) as executed_yuan,
        cast(projects.execution_rate as decimal(20, 4)) as execution_rate,
        cast(projects.score as decimal(20, 4)) as score,
        cast(projects.indicator_count as {{ dbt.type_int() }}) as indicator_count,
        cast(projects.overall_target as {{ dbt.type_string() }}) as overall_target,
        cast(projects.actual_result as {{ dbt.type_string() }}) as actual_result
    from projects
    inner join documents
        on projects.document_id = documents.document_id
    {{ join_page_of('projects.document_id', 'projects.line_number') }}
    where projects.table_kind = 'performance_self_evaluation'
)

select * from final
