{#-
    Fund-source rows of the projects of the performance tables, one row per document × table ×
    project × fund label: 其中：上级资金 / 区级资金 printed under the budget grid of a
    项目绩效自评表, 其中：财政拨款 / 其他资金 under 资金情况 of a 项目绩效目标表. Ingest lands
    only the rows whose figures sit under the budget header the same way the project's own
    budget row does. The project is the last one the table opened at or before the fund row
    (project_key as in fct_performance_evaluation).
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{%- set money_columns = ['annual_budget', 'adjusted_budget', 'executed'] -%}

with

documents as (
    select * from {{ ref('int_documents__identified') }}
    {{- changed_documents_filter() }}
),

pages as (
    select * from {{ ref('int_documents__pages') }}
    {{- changed_documents_filter() }}
),

funds as (
    select * from {{ ref('stg_landed__project_funds') }}
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

fund_projects as (
    select
        funds.document_id,
        funds.line_number,
        max(projects.line_number) as project_line
    from funds
    inner join projects
        on
            funds.document_id = projects.document_id
            and funds.table_id = projects.table_id
            and funds.line_number >= projects.line_number
    group by funds.document_id, funds.line_number
),

final as (
    select
        {{ document_columns('documents') }},
        cast('table' as {{ dbt.type_string() }}) as source_kind,
        cast(funds.line_number as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(projects.project_key as {{ dbt.type_string() }}) as project_key,
        cast(funds.table_id as {{ dbt.type_int() }}) as table_id,
        cast(tables.table_kind as {{ dbt.type_string() }}) as table_kind,
        cast(funds.project_name as {{ dbt.type_string() }}) as project_name,
        cast(funds.fund_label as {{ dbt.type_string() }}) as fund_label,
        cast(funds.amount_unit as {{ dbt.type_string() }}) as amount_unit,
        {%- for column in money_columns %}
        cast(funds.{{ column }}_wan as decimal(18, 4)) as {{ column }}_wan,
        {{ amount_to_yuan('funds.' ~ column, 'funds.amount_unit') }} as {{ column }}_yuan,
        {%- endfor %}
        cast(funds.execution_rate as decimal(20, 4)) as execution_rate,
        cast(funds.score as decimal(20, 4)) as score
    from funds
    inner join documents
        on funds.document_id = documents.document_id
    inner join tables
        on
            funds.document_id = tables.document_id
            and funds.table_id = tables.table_id
    left join fund_projects
        on
            funds.document_id = fund_projects.document_id
            and funds.line_number = fund_projects.line_number
    left join projects
        on
            funds.document_id = projects.document_id
            and funds.table_id = projects.table_id
            and fund_projects.project_line = projects.line_number
    {{ join_page_of('funds.document_id', 'funds.line_number') }}
)

select * from final
