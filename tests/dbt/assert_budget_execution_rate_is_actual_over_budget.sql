-- Invariant of mart_budget_execution: execution_rate is actual / budget (null when the budget is
-- 0 or null), adjusted_execution_rate actual / adjusted budget, and a figure whose sources
-- disagree is never given (null value, sources_agree false).
with

lines as (
    select * from {{ ref('mart_budget_execution') }}
),

final as (
    select *
    from lines
    where
        (budget_wan is null or budget_wan = 0) and execution_rate is not null
        or budget_wan != 0 and actual_wan is not null
        and abs(execution_rate - actual_wan / budget_wan) > 0.000001
        or budget_wan != 0 and actual_wan is null and execution_rate is not null
        or (adjusted_budget_wan is null or adjusted_budget_wan = 0)
        and adjusted_execution_rate is not null
        or adjusted_budget_wan != 0 and actual_wan is not null
        and abs(adjusted_execution_rate - actual_wan / adjusted_budget_wan) > 0.000001
        or not sources_agree and disagreement is null
        or sources_agree and disagreement is not null
)

select * from final
