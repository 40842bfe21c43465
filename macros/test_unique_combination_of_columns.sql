{#-
    Generic test: the combination of `combination_of_columns` is unique in the model
    (dbt_utils is not available offline, so the project carries its own).
    Fails with one row per duplicated combination.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {%- set column_list = combination_of_columns | join(', ') -%}

    with validation as (
        select
            {{ column_list }},
            count(*) as n_rows
        from {{ model }}
        group by {{ column_list }}
    )

    select *
    from validation
    where n_rows > 1

{% endtest %}
