{#- Incremental on the documents whose landed rows changed (macros/incremental.sql). -#}
{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents(changes='int_incremental__landed_changes') }}"
) }}

with

landed as (
    select * from {{ seed_relation('landed_prose_figures') }}
    {{- changed_documents_filter(changes='int_incremental__landed_changes') }}
),

source as (
    select * from landed
    {{- without_quarantined() }}
),

typed as (
    select
        document_id,
        {{ to_integer('line_number') }} as line_number,
        {{ blank_to_null('section') }} as section,
        figure_key,
        {{ blank_to_null('subject') }} as subject,
        qualifier,
        {{ blank_to_null('fund_source') }} as fund_source,
        {{ to_decimal('amount', 20, 4) }} as amount,
        {{ blank_to_null('unit') }} as unit,
        {{ blank_to_null('context') }} as context
    from source
),

final as (
    select
        document_id,
        line_number,
        section,
        figure_key,
        subject,
        qualifier,
        fund_source,
        amount,
        unit,
        context,
        amount as amount_value,
        {{ amount_to_wan('amount', 'unit') }} as amount_wan,
        {{ amount_to_yuan('amount', 'unit') }} as amount_yuan
    from typed
)

select * from final
