{#-
    “三公” figures stated in the narrative, one row per document × item: the amount, the
    signed change on the prior year and an explicit prior-year figure when the text gives one.
    The first statement in the document is used for each. A change stated against the year's
    own budget (final accounts: 较年初预算数…) is not a change on the prior year and is left
    out. When the text states 公务用车购置费 and 公务用车运行维护费 but not their sum, the sum is
    the narrative's vehicle_total (so a document's items never mix narrative and table figures
    where the narrative said enough).
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
    {{- changed_documents_filter() }}
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
            order by line_number nulls last, amount_wan nulls last
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

stated as (
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
),

derived_vehicle_total as (
    select
        purchase.document_id,
        'vehicle_total' as item,
        cast(purchase.amount_wan + operation.amount_wan as decimal(18, 4)) as amount_wan,
        cast(purchase.amount_yuan + operation.amount_yuan as decimal(20, 2)) as amount_yuan,
        least(purchase.line_number, operation.line_number) as line_number,
        cast(purchase.change_wan + operation.change_wan as decimal(18, 4)) as change_wan,
        least(purchase.change_line_number, operation.change_line_number) as change_line_number,
        cast(null as decimal(18, 4)) as stated_prior_year_wan,
        cast(
            purchase.prior_year_amount_wan + operation.prior_year_amount_wan as decimal(18, 4)
        ) as prior_year_amount_wan,
        case
            when
                purchase.prior_year_amount_wan is not null
                and operation.prior_year_amount_wan is not null
                then 'sum_of_items'
        end as prior_year_method
    from stated as purchase
    inner join stated as operation
        on
            purchase.document_id = operation.document_id
            and operation.item = 'vehicle_operation'
    where
        purchase.item = 'vehicle_purchase'
        and purchase.amount_wan is not null
        and operation.amount_wan is not null
        and not exists (
            select 1 from stated as vehicle_total
            where
                vehicle_total.document_id = purchase.document_id
                and vehicle_total.item = 'vehicle_total'
        )
),

final as (
    select * from stated
    union all
    select * from derived_vehicle_total
)

select * from final
