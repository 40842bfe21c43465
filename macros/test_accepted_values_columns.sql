{#-
    Generic test: every value of each column of `values` (column → its accepted values) is one
    of them; nulls pass, as in dbt's accepted_values. One test for every such column of a model
    instead of dbt's accepted_values once per column (issue 10: dbt's own time per test node).
    Values are compared as text, so integer levels are listed as [1, 2, 3].
    Fails with one row per column and value not accepted, with its rows.
-#}
{% test accepted_values_columns(model, values) %}

    {% for column, accepted in values.items() -%}
    select
        '{{ column }}' as column_name,
        cast({{ column }} as {{ dbt.type_string() }}) as value,
        count(*) as n_records
    from {{ rows_to_test(model) }}
    where
        {{ column }} is not null
        and cast({{ column }} as {{ dbt.type_string() }}) not in (
            {%- for value in accepted %}'{{ value | string | replace("'", "''") }}'
            {{- ", " if not loop.last }}{% endfor -%}
        )
    group by {{ column }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

{% endtest %}
