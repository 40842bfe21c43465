{#-
    Figures of the expenditure tables, mapped to what they mean: the functional-code tables
    (general_budget_expenditure, expenditure_summary, government_fund_expenditure,
    state_capital_expenditure, fiscal_expenditure) and the basic-expenditure table by economic code. Page-break
    repeats, non-money cells, columns that are no known measure and budget columns printed in a
    final-accounts document are left out. Rows with a code and the 合计/总计 rows are both kept
    (`row_type` tells them apart).
-#}

with

cells as (
    select * from {{ ref('stg_landed__table_cells') }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
),

documents as (
    select * from {{ ref('stg_landed__documents') }}
),

joined as (
    select
        cells.document_id,
        cells.table_id,
        tables.table_kind,
        case
            when tables.table_kind = 'general_budget_basic_expenditure' then 'economic'
            else 'function'
        end as classification,
        cells.line_number,
        cells.row_number,
        cells.column_number,
        cells.code,
        cells.row_label,
        cells.column_label,
        cells.column_year,
        documents.fiscal_year as document_fiscal_year,
        documents.doc_kind,
        case tables.table_kind
            when 'general_budget_expenditure' then 'general_public_budget'
            when 'general_budget_basic_expenditure' then 'general_public_budget'
            when 'expenditure_summary' then 'all'
            when 'government_fund_expenditure' then 'government_fund'
            when 'state_capital_expenditure' then 'state_capital'
            when 'fiscal_expenditure' then 'fiscal_appropriation'
        end as fund_source,
        case
            when tables.table_kind = 'general_budget_basic_expenditure'
                then {{ economic_measure('cells.column_label') }}
            else {{ function_measure('cells.column_label') }}
        end as measure,
        case
            when {{ full_match('cells.code', '[0-9]{3}([0-9]{2}){0,2}') }} then 'code'
            when cells.code is null and cells.row_label like '%合计%' then 'total'
            when cells.code is null and cells.row_label like '%总计%' then 'total'
            else 'other'
        end as row_type,
        cells.amount_wan,
        cells.amount_yuan
    from cells
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
        and not {{ is_budget_column_in_final_accounts('cells.column_label', 'documents.doc_kind') }}
),

-- A table whose only amount column is headed 金额 (the Jiangsu 一般公共预算支出表 and 基本支出表
-- print code, name, 金额): that column is the table's total. Beside a column the label rules
-- read as a measure, or beside a second 金额 column, it stays no measure.
amount_columns as (
    select
        document_id,
        table_id,
        count(case when measure is not null then 1 end) as measured_cells,
        min(case when column_label like '%金额%' then column_number end) as first_amount_column,
        max(case when column_label like '%金额%' then column_number end) as last_amount_column
    from joined
    group by document_id, table_id
),

measured as (
    select
        joined.*,
        coalesce(
            joined.measure,
            case
                when
                    joined.column_label like '%金额%'
                    and amount_columns.measured_cells = 0
                    and amount_columns.first_amount_column = amount_columns.last_amount_column
                    and joined.column_label not like '%上年%'
                    then 'total'
            end
        ) as column_measure
    from joined
    inner join amount_columns
        on
            joined.document_id = amount_columns.document_id
            and joined.table_id = amount_columns.table_id
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
        {{ column_fiscal_year('column_year', 'column_label', 'document_fiscal_year') }}
            as fiscal_year,
        {{ column_fiscal_year('column_year', 'column_label', 'document_fiscal_year') }}
        < document_fiscal_year as is_comparative,
        doc_kind,
        fund_source,
        column_measure as measure,
        row_type,
        amount_wan,
        amount_yuan
    from measured
    where column_measure is not null
)

select * from final
