{#-
    Which documents an incremental build must compute again (macros/incremental.sql): one row
    per document landed now or at the last build into this file, with what it is now and
    is_changed when that differs from int_incremental__document_state (the last build's, read
    before that model is replaced; absent in a new file: every document is changed). A
    document is what its per-document rows are computed from:
    - landed_digest: every landed row of it, in every landed table (the rows of landed_files
      under the document they land or duplicate: a duplicate, a republication or a parser
      change shows there), quarantined or not: the sum of the rows' 64-bit hashes (DuckDB's
      hash() of the row with its table's name; the DuckDB version is in the models digest)
      and their count, whatever the rows' order (md5 over 2.4M rows took 25 s at 10,000
      documents, this under 1 s);
    - identity_digest: its row of int_documents__identified (unit, division, supersession:
      derived across documents; null when it is quarantined or gone) and the code dimensions
      whose names a fact falls back to (derived across documents: a change there changes
      every document).
-#}

{{ config(materialized='table', enabled=target.type != 'spark') }}

{%- set landed_tables = [
    'landed_documents', 'landed_indicators', 'landed_pages', 'landed_project_funds',
    'landed_projects', 'landed_prose_figures', 'landed_table_cells', 'landed_tables',
    'landed_unparsed_lines',
] %}

with

landed_rows as (
    {%- for name in landed_tables %}
    select
        landed.document_id,
        hash('{{ name }}', landed) as row_hash
    from {{ seed_relation(name) }} as landed
    union all
    {%- endfor %}
    select
        files.document_id,
        hash('landed_files', files) as row_hash
    from {{ seed_relation('landed_files') }} as files
    where files.document_id is not null
),

landed_state as (
    select
        document_id,
        cast(sum(cast(row_hash as hugeint)) as varchar)
        || ':'
        || cast(count(*) as varchar) as landed_digest
    from landed_rows
    where document_id is not null
    group by document_id
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

{%- set previous = adapter.get_relation(
    database=this.database, schema=this.schema, identifier='int_incremental__document_state'
) if execute else none %}

previous_state as (
    {%- if previous is not none %}
    select
        document_id,
        landed_digest,
        identity_digest
    from {{ previous }}
    {%- else %}
    select
        cast(null as varchar) as document_id,
        cast(null as varchar) as landed_digest,
        cast(null as varchar) as identity_digest
    where 1 = 0
    {%- endif %}
),

final as (
    select
        coalesce(current_state.document_id, previous_state.document_id) as document_id,
        current_state.landed_digest,
        current_state.identity_digest,
        (
            previous_state.document_id is null
            or current_state.document_id is null
            or coalesce(current_state.landed_digest, '')
            != coalesce(previous_state.landed_digest, '')
            or coalesce(current_state.identity_digest, '')
            != coalesce(previous_state.identity_digest, '')
        ) as is_changed
    from current_state
    full outer join previous_state
        on current_state.document_id = previous_state.document_id
)

select * from final
