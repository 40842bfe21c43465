{#-
    The documents this build quarantined, one row per document: the document checks (dbt
    tests tagged document_check, great-expectations expectations with quarantine=True) their
    rows failed, how many rows failed and a sample of them. Filled from the var `quarantine`
    the build passes (warehouse/build.py); empty otherwise.
-#}

{%- set entries = [] -%}
{%- for entry in var('quarantine', []) -%}
    {%- do entries.append(entry if entry is mapping else {'document_id': entry}) -%}
{%- endfor %}

with

quarantined as (
    {%- for entry in entries | sort(attribute='document_id') %}
    select
        {{ sql_literal(entry['document_id']) }} as document_id,
        {{ sql_literal(entry.get('checks', '')) }} as quarantine_checks,
        {{ entry.get('failing_rows', 0) | int }} as quarantine_failing_rows,
        {{ sql_literal(entry.get('detail', '')) }} as quarantine_detail
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as document_id,
        cast(null as {{ dbt.type_string() }}) as quarantine_checks,
        cast(null as {{ dbt.type_int() }}) as quarantine_failing_rows,
        cast(null as {{ dbt.type_string() }}) as quarantine_detail
    where 1 = 0
    {%- endfor %}
),

final as (
    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(quarantine_checks as {{ dbt.type_string() }}) as quarantine_checks,
        cast(quarantine_failing_rows as {{ dbt.type_int() }}) as quarantine_failing_rows,
        cast(quarantine_detail as {{ dbt.type_string() }}) as quarantine_detail
    from quarantined
)

select * from final
