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

-- Every distinct column label once, with what the label rules read in it: the rules run once
-- per label, not once per cell (a label repeats down every row of its table).
column_labels as (
    select
        column_label,
        {{ dbt.split_part('column_label', "' | '", 1) }} as column_head,
        {{ dbt.split_part('column_label_view', "' | '", 1) }} as column_head_view,
        {{ dbt.split_part('column_label', "' | '", -1) }} as column_leaf,
        {{ column_label_measure('column_label_view') }} as label_measure,
        {{ column_label_source(dbt.split_part('column_label_view', "' | '", -1)) }} as source,
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

-- every distinct row label once: whether it reads (simplified) as a 合计 / 总计 row
row_labels as (
    select
        row_label,
        coalesce({{ label_view('row_label') }}, '') in ('合计', '总计') as is_total_label
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
        row_labels.is_total_label,
        {{ table_classification('tables.table_kind') }} as classification,
        {{ table_fund_source('tables.table_kind') }} as fund_source,
        -- a cell without a label reads as the rules read a null label
        coalesce(column_labels.column_head, '') as column_head,
        coalesce(column_labels.column_head_view, '') as column_head_view,
        coalesce(column_labels.column_leaf, '') as column_leaf,
        column_labels.label_measure,
        column_labels.source,
        column_labels.is_prior_year_label,
        column_labels.is_budget_label,
        column_labels.is_amount_label,
        column_labels.is_sole_amount_label,
        cells.column_year,
        cells.amount_wan,
        cells.amount_yuan
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    inner join documents
        on cells.document_id = documents.document_id
    left join column_labels
        on cells.column_label = column_labels.column_label
    left join row_labels
        on cells.row_label = row_labels.row_label
    where
        not cells.is_repeat
        and cells.amount_wan is not null
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

classified as (
    select
        amounts.*,
        -- the one rule set of macros/measures.sql (the facts read labels with the same)
        {{ column_period_of('amounts.column_year', 'amounts.is_prior_year_label',
                            'amounts.is_budget_label', 'amounts.fiscal_year', 'amounts.doc_kind') }}
            as period,
        {{ column_measure_of('amounts.amount_measure', 'amounts.is_sole_amount_label',
                             'table_amounts.measured_cells', 'table_amounts.first_amount_column',
                             'table_amounts.last_amount_column') }} as measure,
        case
            when
                amounts.table_kind in (
                    'income_expenditure_summary', 'fiscal_income_expenditure_summary'
                )
                and amounts.column_head_view like '收入%' then 'income'
            when
                amounts.table_kind in (
                    'income_expenditure_summary', 'fiscal_income_expenditure_summary'
                )
                and amounts.column_head_view like '支出%' then 'expenditure'
        end as side,
        case {{ dbt.length('amounts.code') }}
            when 3 then 1
            when 5 then 2
            when 7 then 3
        end as code_level,
        amounts.code is null and coalesce(amounts.is_total_label, false) as is_total_row
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
