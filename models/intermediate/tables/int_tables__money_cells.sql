{#-
    Every money cell of every landed table, page-break repeats removed, with what its column
    means: the period (current / prior / budget), the expenditure measure (total / basic /
    project / personnel / public_operating), the fund or income source and, in the two-sided
    summary tables, the side (income / expenditure). The base of the coverage marts and of
    the reconciliation checks; no figure is changed, blank cells are simply absent.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

cells as (
    select * from {{ ref('stg_landed__table_cells') }}
    {{- changed_documents_filter() }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
    {{- changed_documents_filter() }}
),

documents as (
    select * from {{ ref('stg_landed__documents') }}
    {{- changed_documents_filter() }}
),

-- the labels' simplified view (traditional characters), once per cell, for the rules
viewed_cells as (
    select
        *,
        {{ label_view('column_label') }} as column_label_view,
        {{ label_view('row_label') }} as row_label_view
    from cells
),

joined as (
    select
        cells.document_id,
        cells.table_id,
        tables.table_kind,
        tables.identified_by,
        tables.header_source,
        documents.fiscal_year,
        documents.doc_kind,
        cells.line_number,
        cells.row_number,
        cells.column_number,
        cells.code,
        cells.row_label,
        cells.column_label,
        cells.column_label_view,
        cells.row_label_view,
        {{ table_classification('tables.table_kind') }} as classification,
        {{ table_fund_source('tables.table_kind') }} as fund_source,
        coalesce({{ dbt.split_part('cells.column_label', "' | '", 1) }}, '') as column_head,
        coalesce({{ dbt.split_part('cells.column_label_view', "' | '", 1) }}, '')
            as column_head_view,
        coalesce({{ dbt.split_part('cells.column_label_view', "' | '", -1) }}, '')
            as column_leaf_view,
        coalesce({{ dbt.split_part('cells.column_label', "' | '", -1) }}, '') as column_leaf,
        cells.column_year,
        cells.amount_wan,
        cells.amount_yuan
    from viewed_cells as cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    inner join documents
        on cells.document_id = documents.document_id
    where
        not cells.is_repeat
        and cells.amount_wan is not null
),

classified as (
    select
        *,
        -- the one rule set of macros/measures.sql (the facts read labels with the same)
        {{ column_period('column_year', 'column_label_view', 'fiscal_year', 'doc_kind') }}
            as period,
        {{ column_measure('column_label_view', 'classification', 'column_number',
                          'document_id, table_id') }} as measure,
        {{ column_label_source('column_leaf_view') }} as source,
        case
            when
                table_kind in ('income_expenditure_summary', 'fiscal_income_expenditure_summary')
                and column_head_view like '收入%' then 'income'
            when
                table_kind in ('income_expenditure_summary', 'fiscal_income_expenditure_summary')
                and column_head_view like '支出%' then 'expenditure'
        end as side,
        case {{ dbt.length('code') }}
            when 3 then 1
            when 5 then 2
            when 7 then 3
        end as code_level,
        code is null and coalesce(row_label_view, '') in ('合计', '总计') as is_total_row
    from joined
),

final as (
    select
        document_id,
        table_id,
        table_kind,
        identified_by,
        header_source,
        fiscal_year,
        doc_kind,
        classification,
        fund_source,
        line_number,
        row_number,
        column_number,
        code,
        code_level,
        row_label,
        is_total_row,
        column_label,
        column_head,
        column_leaf,
        column_year,
        period,
        measure,
        source,
        side,
        amount_wan,
        amount_yuan
    from classified
)

select * from final
