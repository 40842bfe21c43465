{{ config(tags=['document_check'], severity='warn', store_failures=true) }}
-- is_comparative is true exactly for a figure of a year before the document's own year, and
-- no fact is for a later year. Fails with the facts that break this.
with

facts as (
    select * from {{ ref('fct_expenditure_by_function') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

final as (
    select
        facts.document_id,
        facts.function_code,
        facts.fiscal_year,
        documents.fiscal_year as document_fiscal_year,
        facts.is_comparative
    from facts
    inner join documents
        on facts.document_id = documents.document_id
    where
        facts.fiscal_year > documents.fiscal_year
        or facts.is_comparative != (facts.fiscal_year < documents.fiscal_year)
)

select * from final
