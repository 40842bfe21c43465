{#-
    “三公” figures stated in the narrative, one row per document × item: the amount, the
    signed change on the prior year and an explicit prior-year figure when the text gives one.
    The first statement in the document is used for each. A change stated against the year's
    own budget (final accounts: 较年初预算数…) is not a change on the prior year and is left
    out.
-#}

with

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
),

three_public_figures as (
    select
        document_id,
        line_number,
        qualifier,
        amount_wan,
        amount_yuan,
        context,
        case figure_key
            when 'three_public_total' then 'total'
            when 'three_public_overseas_travel' then 'overseas_travel'
            when 'three_public_reception' then 'official_reception'
            when 'three_public_vehicle_total' then 'vehicle_total'
            when 'three_public_vehicle_purchase' then 'vehicle_purchase'
            when 'three_public_vehicle_operation' then 'vehicle_operation'
        end as item
    from prose_figures
    where
        figure_key like 'three!_public!_%' escape '!'
        and qualifier in ('amount', 'change', 'prior_year')
        and amount_wan is not null
        and not (
            qualifier = 'change'
            and (
                coalesce(context, '') like '%较年初预算%'
                or coalesce(context, '') like '%比年初预算%'
            )
        )
),

ranked as (
    select
        *,
        row_number() over (
            partition by document_id, item, qualifier
            order by line_number
        ) as statement_rank
    from three_public_figures
    where item is not null
),

firsts as (
    select * from ranked
    where statement_rank = 1
),

items as (
    select distinct
        document_id,
        item
    from firsts
),

final as (
    select
        items.document_id,
        items.item,
        amounts.amount_wan,
        amounts.amount_yuan,
        amounts.line_number,
        changes.amount_wan as change_wan,
        changes.line_number as change_line_number,
        prior_years.amount_wan as stated_prior_year_wan,
        coalesce(
            prior_years.amount_wan,
            cast(amounts.amount_wan - changes.amount_wan as decimal(18, 4))
        ) as prior_year_amount_wan,
        case
            when prior_years.amount_wan is not null then 'prior_year'
            when amounts.amount_wan is not null and changes.amount_wan is not null
                then 'amount_minus_change'
        end as prior_year_method
    from items
    left join firsts as amounts
        on
            items.document_id = amounts.document_id
            and items.item = amounts.item
            and amounts.qualifier = 'amount'
    left join firsts as changes
        on
            items.document_id = changes.document_id
            and items.item = changes.item
            and changes.qualifier = 'change'
    left join firsts as prior_years
        on
            items.document_id = prior_years.document_id
            and items.item = prior_years.item
            and prior_years.qualifier = 'prior_year'
)

select * from final
