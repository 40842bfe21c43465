{#-
    “三公” expenditure, one row per document × item. The amount is the narrative's when the
    narrative states the item, else the 三公 table's current-year figure; the prior-year amount
    is the table's prior-year column when printed, else the narrative's (an explicit prior-year
    figure, or amount − change). Disagreements between the two are reported in
    audit_reconciliation, never resolved here.
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

narrative_items as (
    select * from {{ ref('int_three_public__narrative_items') }}
    {{- changed_documents_filter() }}
),

table_items as (
    select * from {{ ref('int_three_public__table_items') }}
    {{- changed_documents_filter() }}
),

current_table_items as (
    select * from table_items
    where period = 'current'
),

prior_table_items as (
    select * from table_items
    where period = 'prior'
),

item_keys as (
    select
        document_id,
        item
    from narrative_items
    union
    select
        document_id,
        item
    from current_table_items
    union
    select
        document_id,
        item
    from prior_table_items
),

combined as (
    select
        item_keys.document_id,
        item_keys.item,
        narrative_items.amount_wan as narrative_amount_wan,
        current_table_items.amount_wan as table_amount_wan,
        coalesce(narrative_items.amount_wan, current_table_items.amount_wan) as amount_wan,
        case
            when narrative_items.amount_wan is not null then narrative_items.amount_yuan
            else current_table_items.amount_yuan
        end as amount_yuan,
        case
            when narrative_items.amount_wan is not null then 'narrative'
            else 'table'
        end as source_kind,
        case
            when narrative_items.amount_wan is not null then narrative_items.line_number
            when current_table_items.amount_wan is not null then current_table_items.line_number
            when prior_table_items.amount_wan is not null then prior_table_items.line_number
            else narrative_items.change_line_number
        end as source_line,
        coalesce(
            prior_table_items.amount_wan, narrative_items.prior_year_amount_wan
        ) as prior_year_amount_wan,
        case
            when prior_table_items.amount_wan is not null then 'table'
            when narrative_items.prior_year_amount_wan is not null then 'narrative'
        end as prior_year_source_kind,
        narrative_items.change_wan as narrative_change_wan
    from item_keys
    left join narrative_items
        on
            item_keys.document_id = narrative_items.document_id
            and item_keys.item = narrative_items.item
    left join current_table_items
        on
            item_keys.document_id = current_table_items.document_id
            and item_keys.item = current_table_items.item
    left join prior_table_items
        on
            item_keys.document_id = prior_table_items.document_id
            and item_keys.item = prior_table_items.item
),

final as (
    select
        {{ document_columns('documents') }},
        cast(combined.source_kind as {{ dbt.type_string() }}) as source_kind,
        cast(combined.source_line as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(combined.item as {{ dbt.type_string() }}) as item,
        cast(combined.amount_wan as decimal(18, 4)) as amount_wan,
        cast(combined.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(combined.prior_year_amount_wan as decimal(18, 4)) as prior_year_amount_wan,
        cast(combined.prior_year_amount_wan * 10000 as decimal(20, 2)) as prior_year_amount_yuan,
        cast(combined.prior_year_source_kind as {{ dbt.type_string() }})
            as prior_year_source_kind,
        cast(combined.narrative_amount_wan as decimal(18, 4)) as narrative_amount_wan,
        cast(combined.table_amount_wan as decimal(18, 4)) as table_amount_wan,
        cast(combined.narrative_change_wan as decimal(18, 4)) as narrative_change_wan
    from combined
    inner join documents
        on combined.document_id = documents.document_id
    {{ join_page_of('combined.document_id', 'combined.source_line') }}
)

select * from final
