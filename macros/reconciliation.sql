{#-
    The common shape of a reconciliation check (models int_reconciliation__*, unioned by
    audit_reconciliation): one row per check made, with

        document_id, check_family, check_name, check_key, source_kind, source_line,
        expected_wan, actual_wan, figure_count, detail

    check_name is the concatenation of ``name`` (a list of SQL expressions); check_key is
    check_name followed by ``location`` (where the check was made: table, column, row or
    line), unique within a document. Every argument is an SQL expression over the relation the
    check selects from; the defaults name the columns of a relation that already has the shape
    (a union of checks), located by their line.
-#}

{% macro reconciliation_check_columns(
    family='check_family',
    name=['check_name'],
    location=none,
    source_kind='source_kind',
    source_line='source_line',
    expected_wan='expected_wan',
    actual_wan='actual_wan',
    figure_count='figure_count',
    detail='detail'
) -%}
    {%- if location is none -%}
        {%- set location = [
            "'@line'",
            "coalesce(" ~ dbt.safe_cast(source_line, dbt.type_string()) ~ ", '-')"
        ] -%}
    {%- endif -%}
    document_id,
        {{ family }} as check_family,
        {{ dbt.concat(name) }} as check_name,
        {{ dbt.concat(name + location) }} as check_key,
        {{ source_kind }} as source_kind,
        {{ source_line }} as source_line,
        cast({{ expected_wan }} as decimal(18, 4)) as expected_wan,
        cast({{ actual_wan }} as decimal(18, 4)) as actual_wan,
        {{ figure_count }} as figure_count,
        {{ detail }} as detail
{%- endmacro %}

{#- A 万元 amount as text in a check's detail, to 0.01 万元 (as printed); ``blank``: the text
    for a null (none: the detail is null with it). -#}
{% macro wan_text(expression, blank=none) -%}
    {%- set text = "cast(cast(" ~ expression ~ " as decimal(18, 2)) as " ~ dbt.type_string() ~ ")" -%}
    {%- if blank is none -%}
        {{ text }}
    {%- else -%}
        coalesce({{ text }}, '{{ blank }}')
    {%- endif -%}
{%- endmacro %}
