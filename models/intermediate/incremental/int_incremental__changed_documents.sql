{#-
    Which documents an incremental build must compute again (macros/incremental.sql): one row
    per document landed now or at the last build into this file, with what it is now and
    is_changed when that differs from int_incremental__document_state (the last build's, read
    before that model is replaced; absent in a new file: every document is changed). A
    document is what its per-document rows are computed from:
    - landed_digest: every landed row of it (int_incremental__landed_changes, which the staging
      models of landed rows are incremental on);
    - identity_digest: its row of int_documents__identified (unit, division, supersession:
      derived across documents; null when it is quarantined or gone) and the code dimensions
      whose names a fact falls back to (derived across documents: a change there changes
      every document).
-#}

{{ config(materialized='table', enabled=target.type != 'spark') }}

with

landed_changes as (
    select * from {{ ref('int_incremental__landed_changes') }}
),

landed_state as (
    select
        document_id,
        landed_digest
    from landed_changes
    where landed_digest is not null
),

function_codes as (
    select * from {{ ref('dim_function_code') }}
),

economic_codes as (
    select * from {{ ref('dim_economic_code') }}
),

codes_state as (
    select
        md5(
            coalesce((select {{ rows_digest('function_codes') }} from function_codes), '')
            || '|'
            || coalesce((select {{ rows_digest('economic_codes') }} from economic_codes), '')
        ) as codes_digest
),

identified as (
    select * from {{ ref('int_documents__identified') }}
),

identity_state as (
    select
        document_id,
        md5(
            cast(identified as varchar)
            || '|'
            || (select codes_state.codes_digest from codes_state)
        ) as identity_digest
    from identified
),

current_state as (
    select
        coalesce(landed_state.document_id, identity_state.document_id) as document_id,
        landed_state.landed_digest,
        identity_state.identity_digest
    from landed_state
    full outer join identity_state
        on landed_state.document_id = identity_state.document_id
),

previous_state as (
    {{- previous_document_state(['document_id', 'landed_digest', 'identity_digest']) }}
),

final as (
    select
        coalesce(current_state.document_id, previous_state.document_id) as document_id,
        current_state.landed_digest,
        current_state.identity_digest,
        {{ document_is_changed(['landed_digest', 'identity_digest']) }} as is_changed
    from current_state
    full outer join previous_state
        on current_state.document_id = previous_state.document_id
)

select * from final
