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

-- Every distinct column label once, with what the label rules read in it: the rules run once
-- per label, not once per cell (a label repeats down every row of its table).
column_labels as (
    select
        column_label,
        {{ column_label_measure('column_label_view') }} as label_measure,
        {{ is_prior_year_column('column_label_view') }} as is_prior_year_label,
        {{ budget_label('column_label_view') }} as is_budget_label,
        column_label_view like '%金额%' as is_amount_label,
        (column_label_view like '%金额%' and column_label_view not like '%上年%')
            as is_sole_amount_label
    from (
        -- the labels' simplified view (traditional characters), for the rules
        select distinct
            column_label,
            {{ label_view('column_label') }} as column_label_view
        from cells
        where column_label is not null
    ) as distinct_labels
),

-- every distinct row label once: whether it (simplified) names a 合计 / 总计 row
row_labels as (
    select
        row_label,
        (
            {{ label_view('row_label') }} like '%合计%'
            or {{ label_view('row_label') }} like '%总计%'
        ) as is_total_label
    from (
        select distinct row_label
        from cells
        where row_label is not null
    ) as distinct_labels
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
        row_labels.is_total_label,
        column_labels.label_measure,
        column_labels.is_prior_year_label,
        column_labels.is_budget_label,
        column_labels.is_amount_label,
        column_labels.is_sole_amount_label,
        cells.column_year,
        documents.fiscal_year as document_fiscal_year,
        documents.doc_kind,
        {{ table_fund_source('tables.table_kind') }} as fund_source,
        cells.amount_wan,
        cells.amount_yuan
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    inner join documents
        on cells.document_id = documents.document_id
    -- a cell without a label reads as the rules read a null label
    left join column_labels
        on cells.column_label = column_labels.column_label
    left join row_labels
        on cells.row_label = row_labels.row_label
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

amounts as (
    select
        *,
        {{ amount_measure_of('label_measure', 'classification') }} as amount_measure
    from joined
),

-- the tables' aggregates of the sole-金额-column rule (column_measure_of)
table_amounts as (
    select
        document_id,
        table_id,
        {{ table_amount_columns('amount_measure', 'is_amount_label', 'column_number') }}
    from amounts
    group by document_id, table_id
),

measured as (
    select
        amounts.document_id,
        amounts.table_id,
        amounts.table_kind,
        amounts.classification,
        amounts.line_number,
        amounts.row_number,
        amounts.column_number,
        amounts.code,
        amounts.row_label,
        amounts.column_label,
        amounts.column_year,
        amounts.is_prior_year_label,
        amounts.document_fiscal_year,
        amounts.doc_kind,
        amounts.fund_source,
        -- the one rule set of macros/measures.sql, over every money cell of the table (the
        -- audit, int_tables__money_cells, reads the labels with the same)
        {{ column_measure_of('amounts.amount_measure', 'amounts.is_sole_amount_label',
                             'table_amounts.measured_cells', 'table_amounts.first_amount_column',
                             'table_amounts.last_amount_column') }} as measure,
        {{ budget_column_in_final_accounts_of('amounts.is_budget_label', 'amounts.doc_kind') }}
            as is_budget_column,
        case
            when {{ full_match('amounts.code', '[0-9]{3}([0-9]{2}){0,2}') }} then 'code'
            when amounts.code is null and amounts.is_total_label then 'total'
            else 'other'
        end as row_type,
        amounts.amount_wan,
        amounts.amount_yuan
    from amounts
    inner join table_amounts
        on
            amounts.document_id = table_amounts.document_id
            and amounts.table_id = table_amounts.table_id
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
        {{ column_fiscal_year_of('column_year', 'is_prior_year_label', 'document_fiscal_year') }}
            as fiscal_year,
        {{ column_fiscal_year_of('column_year', 'is_prior_year_label', 'document_fiscal_year') }}
        < document_fiscal_year as is_comparative,
        doc_kind,
        fund_source,
        measure,
        row_type,
        amount_wan,
        amount_yuan
    from measured
    where measure is not null and not is_budget_column
)

select * from final
