{#-
    Figures of the expenditure tables, mapped to what they mean: the functional-code tables
    (general_budget_expenditure, expenditure_summary, government_fund_expenditure,
    state_capital_expenditure, fiscal_expenditure) and the basic-expenditure table by economic code. Page-break
    repeats, non-money cells, columns that are no known measure and budget columns printed in a
    final-accounts document are left out. Rows with a code and the 合计/总计 rows are both kept
    (`row_type` tells them apart).
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
        {{ table_classification('tables.table_kind') }} as classification,
        cells.line_number,
        cells.row_number,
        cells.column_number,
        cells.code,
        cells.row_label,
        cells.column_label,
        cells.column_label_view,
        cells.column_year,
        documents.fiscal_year as document_fiscal_year,
        documents.doc_kind,
        {{ table_fund_source('tables.table_kind') }} as fund_source,
        -- the one rule set of macros/measures.sql, over every money cell of the table (the
        -- audit, int_tables__money_cells, reads the labels with the same)
        {{ column_measure('cells.column_label_view', table_classification('tables.table_kind'),
                          'cells.column_number', 'cells.document_id, cells.table_id') }}
            as measure,
        {{ is_budget_column_in_final_accounts('cells.column_label_view', 'documents.doc_kind') }}
            as is_budget_column,
        case
            when {{ full_match('cells.code', '[0-9]{3}([0-9]{2}){0,2}') }} then 'code'
            when cells.code is null and cells.row_label_view like '%合计%' then 'total'
            when cells.code is null and cells.row_label_view like '%总计%' then 'total'
            else 'other'
        end as row_type,
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
        and tables.table_kind in (
            'general_budget_expenditure',
            'expenditure_summary',
            'government_fund_expenditure',
            'state_capital_expenditure',
            'fiscal_expenditure',
            'general_budget_basic_expenditure'
        )
),

final as (
    select
        document_id,
        table_id,
        table_kind,
        classification,
        line_number,
        row_number,
        column_number,
        code,
        case when row_type = 'code' then {{ dbt.length('code') }} end as code_length,
        row_label,
        column_label,
        column_year,
        {{ column_fiscal_year('column_year', 'column_label_view', 'document_fiscal_year') }}
            as fiscal_year,
        {{ column_fiscal_year('column_year', 'column_label_view', 'document_fiscal_year') }}
        < document_fiscal_year as is_comparative,
        doc_kind,
        fund_source,
        measure,
        row_type,
        amount_wan,
        amount_yuan
    from joined
    where measure is not null and not is_budget_column
)

select * from final
