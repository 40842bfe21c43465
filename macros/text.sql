{#- Text helpers. Regular expressions are not covered by dbt's cross-database macros, so they
    dispatch: the default implementation is DuckDB / PostgreSQL syntax. -#}

{#- The first 4-digit year 19xx/20xx in a text, as an integer; null when none. -#}
{% macro first_year_in(column) -%}
    {{ return(adapter.dispatch('first_year_in', 'budget_warehouse')(column)) }}
{%- endmacro %}

{% macro default__first_year_in(column) -%}
    {{ dbt.safe_cast(
        "nullif(regexp_extract(" ~ column ~ ", '(19|20)[0-9]{2}', 0), '')",
        dbt.type_int()
    ) }}
{%- endmacro %}

{#- Remove every whitespace character. -#}
{% macro strip_whitespace(column) -%}
    {{ return(adapter.dispatch('strip_whitespace', 'budget_warehouse')(column)) }}
{%- endmacro %}

{% macro default__strip_whitespace(column) -%}
    regexp_replace({{ column }}, '\s+', '', 'g')
{%- endmacro %}

{#-
    Normalise a printed classification name so the same 类 compares equal however a document
    prints it: whitespace removed, half-width brackets made full-width, 与 read as 和, a
    leading ordinal such as (一) / 一、 / （1） / 1. removed, and a trailing （类） or
    预算/决算(数) removed (一般公共服务支出预算 is the 类 一般公共服务支出).
-#}
{% macro normalise_function_name(column) -%}
    {{ return(adapter.dispatch('normalise_function_name', 'budget_warehouse')(column)) }}
{%- endmacro %}

{% macro default__normalise_function_name(column) -%}
    regexp_replace(
        regexp_replace(
            replace(
                replace(
                    replace(
                        regexp_replace({{ column }}, '\s+', '', 'g'),
                        '(', '（'
                    ),
                    ')', '）'
                ),
                '与', '和'
            ),
            '^(（[一二三四五六七八九十百0-9]+）|[一二三四五六七八九十百]+[、.．]|[0-9]+[、.．])',
            ''
        ),
        '(（类）|预算数|决算数|预算|决算)$',
        ''
    )
{%- endmacro %}

{#- True when the whole text matches a regular expression. -#}
{% macro full_match(column, pattern) -%}
    {{ return(adapter.dispatch('full_match', 'budget_warehouse')(column, pattern)) }}
{%- endmacro %}

{% macro default__full_match(column, pattern) -%}
    regexp_full_match({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__full_match(column, pattern) -%}
    ({{ column }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}

{#-
    A unit's name without the leading province (重庆市) and district (潼南区) it belongs to:
    重庆市潼南区电子政务中心 → 电子政务中心. Falls back to the full name.
-#}
{% macro unit_short_name(unit_name, province_name, district_name) -%}
    {%- set without_province -%}
        case
            when {{ province_name }} is not null
                and substr({{ unit_name }}, 1, {{ dbt.length(province_name) }}) = {{ province_name }}
                then substr({{ unit_name }}, {{ dbt.length(province_name) }} + 1)
            else {{ unit_name }}
        end
    {%- endset -%}
    coalesce(
        nullif(
            case
                when {{ district_name }} is not null
                    and substr({{ without_province }}, 1, {{ dbt.length(district_name) }})
                    = {{ district_name }}
                    then substr({{ without_province }}, {{ dbt.length(district_name) }} + 1)
                else {{ without_province }}
            end,
            ''
        ),
        {{ unit_name }}
    )
{%- endmacro %}

{#-
    Spark: Java regular expressions, and Spark SQL string literals unescape backslashes (so a
    regex escape is written twice). regexp_replace replaces every match (DuckDB needs 'g');
    the whitespace class is spelt out as RE2's \s is ([\t\n\f\r ]; Java's adds \x0B); $ is
    written \z (Java's $ also matches before a final line break, RE2's does not).
-#}
{% macro spark__strip_whitespace(column) -%}
    regexp_replace({{ column }}, '[\\t\\n\\f\\r ]+', '')
{%- endmacro %}

{% macro spark__normalise_function_name(column) -%}
    regexp_replace(
        regexp_replace(
            replace(
                replace(
                    replace(
                        {{ spark__strip_whitespace(column) }},
                        '(', '（'
                    ),
                    ')', '）'
                ),
                '与', '和'
            ),
            '^(（[一二三四五六七八九十百0-9]+）|[一二三四五六七八九十百]+[、.．]|[0-9]+[、.．])',
            ''
        ),
        '(（类）|预算数|决算数|预算|决算)\\z',
        ''
    )
{%- endmacro %}

{% macro spark__full_match(column, pattern) -%}
    ({{ column }} rlike '^(?:{{ pattern }})\\z')
{%- endmacro %}
