{#-
    Engine switch (issue 13): the same models build on DuckDB (dbt-duckdb, the default) and on
    Apache Spark (dbt-spark, `--target spark`). Only what differs between the engines lives
    here, behind adapter.dispatch; every model calls these macros or dbt's cross-database ones.

    seed_relation(name): the relation of a seed CSV (landed/ or reference/). DuckDB loads the
    CSVs as dbt seeds; Spark reads the same files written as Parquet (every column text) as
    the dbt source `seeds_parquet` (models/staging/_seeds_parquet__sources.yml; the files are
    written by warehouse/spark_step.py).
-#}
{% macro seed_relation(name) -%}
    {{ return(adapter.dispatch('seed_relation', 'budget_warehouse')(name)) }}
{%- endmacro %}

{% macro default__seed_relation(name) -%}
    {{ return(ref(name)) }}
{%- endmacro %}

{% macro spark__seed_relation(name) -%}
    {{ return(source('seeds_parquet', name)) }}
{%- endmacro %}

{#-
    dbt's spark__safe_cast is a plain cast, which raises on text that is no number under
    Spark's ANSI mode (the default since Spark 4); DuckDB's is try_cast: a null either way.
-#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#-
    dbt's spark__split_part escapes the delimiter as a regular expression wrongly for ' | '
    and counts negative parts in characters; Spark 3.3+ has split_part with DuckDB's
    meaning (literal delimiter, negative parts from the end, '' past the end).
-#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{#-
    dbt's spark__listagg drops the order (collect_list keeps no order after a shuffle);
    Spark 4 has listagg … within group (order by …) as DuckDB does.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not implemented for Spark") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{#-
    Contracts: the marts' YAML declares DuckDB's type names. Spark has no VARCHAR without a
    length (its text type is STRING), so on Spark the contract's types are read through
    spark_type() when dbt builds the empty query it compares the model's columns with; the
    other declared types (integer, bigint, boolean, date, decimal(p,s)) are Spark's too.
-#}
{% macro spark_type(data_type) -%}
    {%- set normalised = data_type | trim | lower -%}
    {{- return('string' if normalised in ('varchar', 'text') else data_type) -}}
{%- endmacro %}

{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for i in columns -%}
        {%- set col = columns[i] -%}
        {%- if col['data_type'] is defined -%}
            {%- do translated.update({i: dict(col, data_type=spark_type(col['data_type']))}) -%}
        {%- else -%}
            {%- do translated.update({i: col}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}

{#-
    listagg(measure, delimiter) ordered by order_key (the measure itself when none), nulls left
    out, null when every measure is null; distinct: each value once (order_key must then be
    none). dbt's duckdb__listagg (string_agg … order by) is an ordered aggregate: DuckDB buffers
    and sorts every group apart, 5.3 CPU s of mart_budget_execution's 410k nearly one-row groups
    at 10,000 documents; a list sorted once per group (list_sort, on a struct of the key and the
    measure when the key is another column) gives the same text in 2.0 s. Elsewhere (Spark) it
    is dbt's listagg (macro spark__listagg).
-#}
{% macro sorted_listagg(measure, delimiter_text, order_key=none, distinct=false) -%}
    {%- if distinct and order_key is not none -%}
        {{ exceptions.raise_compiler_error("sorted_listagg: distinct orders by the measure; give no order_key") }}
    {%- endif -%}
    {{ return(adapter.dispatch('sorted_listagg', 'budget_warehouse')(measure, delimiter_text, order_key, distinct)) }}
{%- endmacro %}

{% macro default__sorted_listagg(measure, delimiter_text, order_key, distinct) -%}
    {%- if distinct -%}
        listagg(distinct {{ measure }}, {{ delimiter_text }}) within group (order by {{ measure }})
    {%- else -%}
        {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ (order_key or measure)) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__sorted_listagg(measure, delimiter_text, order_key, distinct) -%}
    {%- if order_key is none -%}
        array_to_string(
            list_sort({% if distinct %}list_distinct({% endif %}list({{ measure }}){% if distinct %}){% endif %}),
            {{ delimiter_text }}
        )
    {%- else -%}
        array_to_string(
            list_transform(
                list_sort(list(struct_pack(k := {{ order_key }}, v := {{ measure }}))),
                lambda x: struct_extract(x, 'v')
            ),
            {{ delimiter_text }}
        )
    {%- endif -%}
{%- endmacro %}
