-- The coverage marts choose between narrative and table by fixed rules; each row must say
-- where its figure comes from and carry that figure:
-- fct_three_public: the narrative's amount when stated, else the table's; never neither
--   the year's amount nor the prior year's.
-- fct_procurement: the table's figure when printed, else the narrative's.
-- Fails with the rows that break a rule.
with

three_public as (
    select
        'fct_three_public' as model_name,
        document_id,
        item as figure,
        source_kind,
        amount_wan,
        narrative_amount_wan,
        table_amount_wan
    from {{ ref('fct_three_public') }}
    where
        (amount_wan is null and prior_year_amount_wan is null)
        or (
            narrative_amount_wan is not null
            and (source_kind != 'narrative' or amount_wan != narrative_amount_wan)
        )
        or (
            narrative_amount_wan is null
            and (source_kind != 'table' or amount_wan is distinct from table_amount_wan)
        )
),

procurement as (
    select
        'fct_procurement' as model_name,
        document_id,
        category || ':' || fund_source as figure,
        source_kind,
        amount_wan,
        narrative_amount_wan,
        table_amount_wan
    from {{ ref('fct_procurement') }}
    where
        (
            table_amount_wan is not null
            and (source_kind != 'table' or amount_wan != table_amount_wan)
        )
        or (
            table_amount_wan is null
            and (source_kind != 'narrative' or amount_wan != narrative_amount_wan)
        )
),

final as (
    select * from three_public
    union all
    select * from procurement
)

select * from final
