-- fct_budget_summary has exactly one row per document of dim_document.
-- Fails with the documents that are missing from one side.
with

documents as (
    select document_id from {{ ref('dim_document') }}
),

summary as (
    select document_id from {{ ref('fct_budget_summary') }}
),

final as (
    select
        coalesce(documents.document_id, summary.document_id) as document_id,
        case
            when summary.document_id is null then 'missing from fct_budget_summary'
            else 'not in dim_document'
        end as problem
    from documents
    full outer join summary
        on documents.document_id = summary.document_id
    where documents.document_id is null or summary.document_id is null
)

select * from final
