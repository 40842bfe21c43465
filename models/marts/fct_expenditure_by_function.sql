{#-
    Expenditure by functional code. The code tables are the facts; a document without any
    table-derived function row falls back to the 类 figures of its narrative
    (source_kind = 'narrative'). A fact printed in two tables of one document is kept once,
    from the first table in document order (audit_reconciliation reports disagreements).
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

expenditure_cells as (
    select * from {{ ref('int_expenditure__table_cells') }}
    {{- changed_documents_filter() }}
),

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
    {{- changed_documents_filter() }}
),

function_names as (
    select * from {{ ref('int_expenditure__function_names') }}
),

function_codes as (
    select * from {{ ref('dim_function_code') }}
),

table_rows as (
    select
        document_id,
        fiscal_year,
        code as function_code,
        measure,
        fund_source,
        is_comparative,
        row_label as function_name,
        'table' as source_kind,
        line_number as source_line,
        table_id,
        column_label,
        amount_wan,
        amount_yuan,
        1 as source_rank,
        table_id as order_1,
        line_number as order_2,
        column_number as order_3
    from expenditure_cells
    where
        classification = 'function'
        and row_type = 'code'
),

documents_with_table_rows as (
    select distinct document_id from table_rows
),

narrative_rows as (
    select
        prose_figures.document_id,
        documents.fiscal_year,
        function_names.function_code,
        'total' as measure,
        coalesce(prose_figures.fund_source, 'all') as fund_source,
        false as is_comparative,
        prose_figures.subject as function_name,
        'narrative' as source_kind,
        prose_figures.line_number as source_line,
        cast(null as {{ dbt.type_int() }}) as table_id,
        cast(null as {{ dbt.type_string() }}) as column_label,
        prose_figures.amount_wan,
        prose_figures.amount_yuan,
        2 as source_rank,
        0 as order_1,
        prose_figures.line_number as order_2,
        0 as order_3
    from prose_figures
    inner join documents
        on prose_figures.document_id = documents.document_id
    inner join function_names
        on {{ normalise_function_name('prose_figures.subject') }} = function_names.name_normalised
    left join documents_with_table_rows
        on prose_figures.document_id = documents_with_table_rows.document_id
    where
        prose_figures.figure_key = 'class_expenditure'
        and prose_figures.qualifier = 'amount'
        and prose_figures.amount_wan is not null
        and documents_with_table_rows.document_id is null
),

candidates as (
    select * from table_rows
    union all
    select * from narrative_rows
),

ranked as (
    select
        *,
        row_number() over (
            partition by document_id, fiscal_year, function_code, measure, fund_source
            order by source_rank, order_1, order_2, order_3
        ) as fact_rank
    from candidates
),

final as (
    select
        ranked.document_id,
        documents.unit_id,
        documents.unit_name,
        documents.district_code,
        documents.district_name,
        documents.division_level,
        ranked.fiscal_year,
        documents.doc_kind,
        ranked.source_kind,
        ranked.source_line,
        {{ page_of() }} as source_page,
        ranked.function_code,
        case {{ dbt.length('ranked.function_code') }}
            when 3 then 1
            when 5 then 2
            when 7 then 3
        end as function_level,
        coalesce(ranked.function_name, function_codes.function_name) as function_name,
        substr(ranked.function_code, 1, 3) as class_code,
        ranked.measure,
        ranked.fund_source,
        ranked.is_comparative,
        ranked.amount_wan,
        ranked.amount_yuan,
        ranked.table_id,
        ranked.column_label
    from ranked
    inner join documents
        on ranked.document_id = documents.document_id
    left join function_codes
        on ranked.function_code = function_codes.function_code
    {{ join_page_of('ranked.document_id', 'ranked.source_line') }}
    where ranked.fact_rank = 1
)

select * from final
