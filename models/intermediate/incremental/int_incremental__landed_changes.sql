{#-
    Which documents' landed rows changed since the last build into this file: one row per
    document landed now or then, its landed digest and is_changed when that differs from
    int_incremental__document_state's (absent in a new file: every document is changed). It
    reads only the landed seeds and the quarantine var, never a model, so the staging models
    of landed rows can be incremental on it (int_incremental__changed_documents reads them
    through the code dimensions). landed_digest: every landed row of the document, in every
    landed table (the rows of landed_files under the document they land or duplicate: a
    duplicate, a republication or a parser change shows there), quarantined or not: the sum of
    the rows' 64-bit hashes (DuckDB's hash() of the row with its table's name; the DuckDB
    version is in the models digest) and their count, whatever the rows' order (md5 over 2.4M
    rows took 25 s at 10,000 documents, this under 1 s); ':quarantined' after it when the
    document is quarantined (the staging models leave its rows out).
-#}

{{ config(materialized='table', enabled=target.type != 'spark') }}

{%- set landed_tables = [
    'landed_documents', 'landed_indicators', 'landed_pages', 'landed_project_funds',
    'landed_projects', 'landed_prose_figures', 'landed_table_cells', 'landed_tables',
    'landed_unparsed_lines',
] %}

{%- set quarantined = quarantined_ids() %}

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

current_state as (
    select
        document_id,
        cast(sum(cast(row_hash as hugeint)) as varchar)
        || ':'
        || cast(count(*) as varchar)
        {%- if quarantined %}
        || case
            when document_id in (
                {%- for id in quarantined %}{{ sql_literal(id) }}{{ ", " if not loop.last }}{% endfor -%}
            ) then ':quarantined'
            else ''
        end
        {%- endif %} as landed_digest
    from landed_rows
    where document_id is not null
    group by document_id
),

previous_state as (
    {{- previous_document_state(['document_id', 'landed_digest']) }}
),

final as (
    select
        coalesce(current_state.document_id, previous_state.document_id) as document_id,
        current_state.landed_digest,
        {{ document_is_changed(['landed_digest']) }} as is_changed
    from current_state
    full outer join previous_state
        on current_state.document_id = previous_state.document_id
)

select * from final
