{#-
    Resolve one level of a printed function path (类 → 款 → 项) to its code: every row of
    `statements` (one per document_id, figure_seq) with `code_column` added, the code whose
    normalised name in `code_names` equals the row's `name_column`, of `code_length` digits and,
    below the 类, under the code already resolved in `parent_code_column`. Names are tried by
    name_priority (the document's own tables first, then the reference); a priority whose
    names match more than one code resolves nothing at that priority. No match leaves null.

    One engine-neutral shape (row_number() and a left join, no correlated subquery, which Spark
    does not run with order by … limit): int_budget_execution__figures.
-#}
{% macro resolve_code_level(
    statements, name_column, code_length, code_column,
    parent_code_column=none, code_names='code_names'
) -%}
    select
        {{ statements }}.*,
        resolved.code as {{ code_column }}
    from {{ statements }}
    left join (
        select
            matches.document_id,
            matches.figure_seq,
            matches.code,
            row_number() over (
                partition by matches.document_id, matches.figure_seq
                order by matches.name_priority
            ) as match_rank
        from (
            select
                {{ statements }}.document_id,
                {{ statements }}.figure_seq,
                {{ code_names }}.name_priority,
                count(distinct {{ code_names }}.code) as codes,
                min({{ code_names }}.code) as code
            from {{ statements }}
            inner join {{ code_names }}
                on
                    (
                        {{ statements }}.document_id = {{ code_names }}.document_id
                        or {{ code_names }}.document_id is null
                    )
                    and length({{ code_names }}.code) = {{ code_length }}
                    {%- if parent_code_column %}
                    and {{ statements }}.{{ parent_code_column }}
                    = left({{ code_names }}.code, {{ code_length - 2 }})
                    {%- endif %}
                    and {{ statements }}.{{ name_column }} = {{ code_names }}.name_normalised
            group by
                {{ statements }}.document_id,
                {{ statements }}.figure_seq,
                {{ code_names }}.name_priority
        ) as matches
        where matches.codes = 1
    ) as resolved
        on
            {{ statements }}.document_id = resolved.document_id
            and {{ statements }}.figure_seq = resolved.figure_seq
            and resolved.match_rank = 1
{%- endmacro %}
