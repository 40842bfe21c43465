{#-
    The pages of every PDF document and the lines printed on each: a fact's page is the page
    whose line range holds its source_line (join on document_id and
    source_line between first_line and last_line). The ranges of one document never overlap
    (tests/dbt/assert_document_pages_tile_their_lines.sql), so the join keeps every fact's
    grain. A page without a text layer holds no line (first_line > last_line) and so is never
    a fact's page. Text documents have no pages: their facts get a null page.
-#}

with

pages as (
    select * from {{ ref('stg_landed__pages') }}
),

final as (
    select
        document_id,
        page_number,
        first_line,
        last_line,
        has_text,
        case
            when last_line >= first_line then last_line - first_line + 1
            else 0
        end as line_count
    from pages
)

select * from final
