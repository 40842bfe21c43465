{#-
    Performance indicators with their table's kind and, when the table prints one, the
    project's budget; one row per landed indicator (document × table × line). The project of
    an indicator is the project record of its table (one per table); the whole-unit target
    table has no project name. Target and actual values are decimals when the printed text is
    a number.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

indicators as (
    select * from {{ ref('stg_landed__indicators') }}
    {{- changed_documents_filter() }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
    {{- changed_documents_filter() }}
),

projects as (
    select * from {{ ref('int_performance__projects') }}
    {{- changed_documents_filter() }}
),

table_projects as (
    select
        *,
        row_number() over (
            partition by document_id, table_id
            order by line_number
        ) as project_rank
    from projects
),

final as (
    select
        indicators.document_id,
        indicators.table_id,
        tables.table_kind,
        indicators.line_number,
        {{ dbt.hash(dbt.concat([
            "indicators.document_id",
            "'|'",
            dbt.safe_cast("indicators.table_id", dbt.type_string()),
            "'|'",
            dbt.safe_cast("indicators.line_number", dbt.type_string()),
            "'|'",
            "coalesce(indicators.indicator_name, '')"
        ])) }} as indicator_key,
        case
            when tables.table_kind != 'performance_overall'
                then coalesce(indicators.project_name, table_projects.project_name)
        end as project_name,
        table_projects.project_code,
        table_projects.project_budget_wan,
        indicators.indicator_level1,
        indicators.indicator_level2,
        indicators.indicator_level3,
        indicators.indicator_name,
        indicators.measure_unit,
        case
            when indicators.operator in ('>=', '<=', '=', '>', '<', 'qualitative')
                then indicators.operator
        end as operator,
        indicators.target_value,
        indicators.target_text,
        indicators.adjusted_target_text,
        indicators.actual_text,
        {{ dbt.safe_cast(
            "nullif(trim(replace(indicators.actual_text, '%', '')), '')",
            "decimal(20, 4)"
        ) }} as actual_value,
        indicators.weight,
        indicators.score,
        indicators.is_core
    from indicators
    inner join tables
        on
            indicators.document_id = tables.document_id
            and indicators.table_id = tables.table_id
    left join table_projects
        on
            indicators.document_id = table_projects.document_id
            and indicators.table_id = table_projects.table_id
            and table_projects.project_rank = 1
)

select * from final
