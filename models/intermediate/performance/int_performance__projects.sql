{#-
    The project records of the performance tables (项目/专项资金绩效目标表, 整体绩效目标表,
    项目绩效自评表), one row per document × table × project, with the table's kind, the
    amounts in 万元 (元 converted in staging) and the number of indicators landed for it.
    project_budget_wan is the budget printed for the project: 年度资金总额 / 年初预算数, else
    the adjusted budget, else the fiscal appropriation.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

projects as (
    select * from {{ ref('stg_landed__projects') }}
    {{- changed_documents_filter() }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
    {{- changed_documents_filter() }}
),

indicators as (
    select * from {{ ref('stg_landed__indicators') }}
    {{- changed_documents_filter() }}
),

indicator_counts as (
    select
        document_id,
        table_id,
        count(*) as indicator_count
    from indicators
    group by document_id, table_id
),

final as (
    select
        projects.document_id,
        projects.table_id,
        tables.table_kind,
        projects.line_number,
        {{ dbt.hash(dbt.concat([
            "projects.document_id",
            "'|'",
            dbt.safe_cast("projects.table_id", dbt.type_string()),
            "'|'",
            dbt.safe_cast("projects.line_number", dbt.type_string())
        ])) }} as project_key,
        nullif(trim(projects.project_name), '') as project_name,
        projects.project_code,
        projects.department_name,
        projects.implementing_unit,
        projects.amount_unit,
        projects.annual_budget_wan,
        projects.fiscal_appropriation_wan,
        projects.adjusted_budget_wan,
        projects.executed_wan,
        coalesce(
            projects.annual_budget_wan,
            projects.adjusted_budget_wan,
            projects.fiscal_appropriation_wan
        ) as project_budget_wan,
        projects.execution_rate,
        projects.score,
        projects.overall_target,
        projects.adjusted_target,
        projects.actual_result,
        coalesce(indicator_counts.indicator_count, 0) as indicator_count
    from projects
    inner join tables
        on
            projects.document_id = tables.document_id
            and projects.table_id = tables.table_id
    left join indicator_counts
        on
            projects.document_id = indicator_counts.document_id
            and projects.table_id = indicator_counts.table_id
)

select * from final
