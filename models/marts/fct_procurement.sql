{#-
    Government procurement, one row per document × category × fund source. The procurement
    table is the fact when it prints the figure (the project's rule: where a table exists the
    table is the fact and the prose is checked against it); otherwise the narrative's figure is
    used. Both values are kept side by side; disagreements are in audit_reconciliation.
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

figures as (
    select * from {{ ref('int_procurement__figures') }}
    {{- changed_documents_filter() }}
),

narrative as (
    select * from figures
    where source_kind = 'narrative'
),

tabled as (
    select * from figures
    where source_kind = 'table'
),

keys as (
    select
        document_id,
        category,
        fund_source
    from figures
    group by document_id, category, fund_source
),

combined as (
    select
        keys.document_id,
        keys.category,
        keys.fund_source,
        case when tabled.amount_wan is not null then 'table' else 'narrative' end as source_kind,
        coalesce(tabled.line_number, narrative.line_number) as source_line,
        coalesce(tabled.amount_wan, narrative.amount_wan) as amount_wan,
        case
            when tabled.amount_wan is not null then tabled.amount_yuan
            else narrative.amount_yuan
        end as amount_yuan,
        narrative.amount_wan as narrative_amount_wan,
        tabled.amount_wan as table_amount_wan
    from keys
    left join narrative
        on
            keys.document_id = narrative.document_id
            and keys.category = narrative.category
            and keys.fund_source = narrative.fund_source
    left join tabled
        on
            keys.document_id = tabled.document_id
            and keys.category = tabled.category
            and keys.fund_source = tabled.fund_source
),

final as (
    select
        {{ document_columns('documents') }},
        cast(combined.source_kind as {{ dbt.type_string() }}) as source_kind,
        cast(combined.source_line as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(combined.category as {{ dbt.type_string() }}) as category,
        cast(combined.fund_source as {{ dbt.type_string() }}) as fund_source,
        cast(combined.amount_wan as decimal(18, 4)) as amount_wan,
        cast(combined.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(combined.narrative_amount_wan as decimal(18, 4)) as narrative_amount_wan,
        cast(combined.table_amount_wan as decimal(18, 4)) as table_amount_wan
    from combined
    inner join documents
        on combined.document_id = documents.document_id
    {{ join_page_of('combined.document_id', 'combined.source_line') }}
)

select * from final
