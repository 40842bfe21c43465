{#-
    Generic test: the combination of `combination_of_columns` is unique in the model
    (dbt_utils is not available offline, so the project carries its own).
    Fails with one row per duplicated combination.

    On DuckDB the combinations are first grouped by their 64-bit hash (one number per row, not
    the columns' text: at 10,000 documents the cell tables' grains took 0.4-0.5 s each, this
    about 0.3 s); only rows whose hash repeats are grouped by the columns themselves. The rows
    of a duplicated combination share their hash, so every one of them is counted: the test
    fails with exactly the rows (and n_rows) of the plain group by.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {%- set column_list = combination_of_columns | join(', ') -%}
    {#- a grain with document_id repeats only within a document: rows_to_test -#}
    {%- set rows = rows_to_test(model) if 'document_id' in combination_of_columns else model -%}

    {%- if target.type == 'duckdb' %}
    with hashes as (
        select hash({{ column_list }}) as combination_hash
        from {{ rows }}
    ),

    repeated_hashes as (
        select combination_hash
        from hashes
        group by combination_hash
        having count(*) > 1
    ),

    validation as (
        select
            {{ column_list }},
            count(*) as n_rows
        from {{ rows }}
        where hash({{ column_list }}) in (select combination_hash from repeated_hashes)
        group by {{ column_list }}
    )
    {%- else %}
    with validation as (
        select
            {{ column_list }},
            count(*) as n_rows
        from {{ rows }}
        group by {{ column_list }}
    )
    {%- endif %}

    select *
    from validation
    where n_rows > 1

{% endtest %}
