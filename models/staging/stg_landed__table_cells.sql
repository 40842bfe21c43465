{#- Incremental on the documents whose landed rows changed (macros/incremental.sql). -#}
{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents(changes='int_incremental__landed_changes') }}"
) }}

with

landed as (
    select * from {{ seed_relation('landed_table_cells') }}
    {{- changed_documents_filter(changes='int_incremental__landed_changes') }}
),

source as (
    select * from landed
    {{- without_quarantined() }}
),

typed as (
    select
        document_id,
        {{ to_integer('table_id') }} as table_id,
        {{ to_integer('line_number') }} as line_number,
        {{ to_integer('row_number') }} as row_number,
        {{ to_integer('column_number') }} as column_number,
        {{ blank_to_null('code') }} as code,
        {{ blank_to_null('row_label') }} as row_label,
        {{ blank_to_null('column_label') }} as column_label,
        value_text,
        {{ to_decimal('amount', 20, 4) }} as amount,
        {{ blank_to_null('unit') }} as unit,
        coalesce({{ to_integer('repeat_of_line') }}, 0) as repeat_of_line
    from source
),

final as (
    select
        document_id,
        table_id,
        line_number,
        row_number,
        column_number,
        code,
        row_label,
        column_label,
        value_text,
        amount,
        unit,
        repeat_of_line,
        amount as amount_value,
        {{ amount_to_wan('amount', 'unit') }} as amount_wan,
        {{ amount_to_yuan('amount', 'unit') }} as amount_yuan,
        repeat_of_line > 0 as is_repeat,
        {{ first_year_in('column_label') }} as column_year
    from typed
)

select * from final
