{#-
    Quarantine (issue 9): the build passes the documents a document check failed on as the
    var `quarantine`, a list of {document_id, checks, failing_rows, detail}. Staging models of
    landed rows filter them out (their rows stay in the raw seeds); audit_ingest shows them
    with status 'quarantined'. Without the var nothing is filtered and the SQL is unchanged.
-#}

{% macro quarantined_ids() -%}
    {%- set ids = [] -%}
    {%- for entry in var('quarantine', []) -%}
        {%- do ids.append(entry['document_id'] if entry is mapping else entry) -%}
    {%- endfor -%}
    {{- return(ids | unique | sort) -}}
{%- endmacro %}

{% macro sql_literal(value) -%}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}

{#- `where <column> not in (…quarantined…)`, or nothing when no document is quarantined. -#}
{% macro without_quarantined(column='document_id') -%}
    {%- set ids = quarantined_ids() -%}
    {%- if ids %}
    where {{ column }} not in ({% for id in ids %}{{ sql_literal(id) }}{{ ", " if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}
