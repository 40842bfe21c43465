{#- Typing helpers for staging: landed seeds are all text, empty text means "not printed". -#}

{% macro blank_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro to_integer(column) -%}
    {{ dbt.safe_cast(blank_to_null(column), dbt.type_int()) }}
{%- endmacro %}

{% macro to_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('true', 't', '1', 'yes') then true
        when lower(trim({{ column }})) in ('false', 'f', '0', 'no') then false
    end
{%- endmacro %}

{% macro to_decimal(column, precision=20, scale=4) -%}
    {{ dbt.safe_cast(blank_to_null(column), 'decimal(' ~ precision ~ ',' ~ scale ~ ')') }}
{%- endmacro %}
