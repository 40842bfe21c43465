{#-
    Basic expenditure (一般公共预算财政拨款基本支出) by economic code, from the
    basic-expenditure tables: total, personnel (人员经费) and public_operating (公用经费 /
    日常公用经费). Only the document's own year (a prior-year column is left out); a figure
    printed twice is kept once, from the first table / line in document order.
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

economic_codes as (
    select * from {{ ref('dim_economic_code') }}
),

candidates as (
    select
        *,
        row_number() over (
            partition by document_id, code, measure
            order by table_id, line_number, column_number
        ) as fact_rank
    from expenditure_cells
    where
        classification = 'economic'
        and row_type = 'code'
        and {{ dbt.length('code') }} in (3, 5)
        and not is_comparative
),

final as (
    select
        candidates.document_id,
        documents.unit_id,
        documents.unit_name,
        documents.district_code,
        documents.district_name,
        documents.division_level,
        candidates.fiscal_year,
        documents.doc_kind,
        'table' as source_kind,
        candidates.line_number as source_line,
        {{ page_of() }} as source_page,
        candidates.code as economic_code,
        case {{ dbt.length('candidates.code') }}
            when 3 then 1
            when 5 then 2
        end as economic_level,
        coalesce(candidates.row_label, economic_codes.economic_name) as economic_name,
        substr(candidates.code, 1, 3) as class_code,
        candidates.measure,
        candidates.amount_wan,
        candidates.amount_yuan,
        candidates.table_id,
        candidates.column_label
    from candidates
    inner join documents
        on candidates.document_id = documents.document_id
    left join economic_codes
        on candidates.code = economic_codes.economic_code
    {{ join_page_of('candidates.document_id', 'candidates.line_number') }}
    where candidates.fact_rank = 1
)

select * from final
