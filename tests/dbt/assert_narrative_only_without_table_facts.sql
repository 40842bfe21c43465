-- A document's functional facts come either from its code tables or, when it has none, from
-- its narrative: never both (the prose is checked against the tables in
-- audit_reconciliation, not added to them). Fails with the documents that mix the two.
with

facts as (
    select * from {{ ref('fct_expenditure_by_function') }}
),

final as (
    select
        document_id,
        count(distinct source_kind) as source_kinds
    from facts
    group by document_id
    having count(distinct source_kind) > 1
)

select * from final
