{#-
    The page of a line, stated once. int_documents__pages holds the line range of every PDF
    page; a figure's page is the page whose range holds its line (ranges never overlap:
    tests/dbt/assert_document_pages_tile_their_lines.sql), so the join keeps the grain. Text
    documents have no pages: the join finds none and the page is null.

        pages as (select * from {{ ref('int_documents__pages') }}),
        ...
        select {{ page_of() }} as source_page ...
        from facts
        {{ join_page_of('facts.document_id', 'facts.line_number') }}
-#}

{% macro join_page_of(document_id, line, pages='pages') -%}
left join {{ pages }}
        on
            {{ document_id }} = {{ pages }}.document_id
            and {{ line }} between {{ pages }}.first_line and {{ pages }}.last_line
{%- endmacro %}

{% macro page_of(pages='pages') -%}
cast({{ pages }}.page_number as {{ dbt.type_int() }})
{%- endmacro %}
