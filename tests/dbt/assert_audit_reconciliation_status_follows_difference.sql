-- audit_reconciliation.status must follow from the two figures it compares: 'ok' when they are
-- equal, 'rounding' when they differ by at most 0.01 万元 per figure summed, 'mismatch'
-- otherwise; difference_wan must be actual − expected. Fails with the rows that disagree.
with

checks as (
    select * from {{ ref('audit_reconciliation') }}
),

final as (
    select
        document_id,
        check_key,
        expected_wan,
        actual_wan,
        difference_wan,
        figure_count,
        status
    from checks
    where
        difference_wan != actual_wan - expected_wan
        or tolerance_wan != 0.01 * figure_count
        or status != case
            when actual_wan = expected_wan then 'ok'
            when abs(actual_wan - expected_wan) <= 0.01 * figure_count then 'rounding'
            else 'mismatch'
        end
)

select * from final
