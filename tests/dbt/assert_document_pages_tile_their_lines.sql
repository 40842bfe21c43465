-- The pages of a PDF document hold its lines in order, each line on exactly one page: pages
-- are numbered 1..n without a gap, the first page starts at line 1, each page starts on the
-- line after the previous page ends, the last page ends on the document's last line, and a
-- page without a text layer holds no line. So joining a fact's source_line to its page
-- (int_documents__pages) never duplicates or drops a fact. Fails with the pages that break it.
with

pages as (
    select * from {{ ref('int_documents__pages') }}
),

documents as (
    select * from {{ ref('int_documents__identified') }}
),

ordered as (
    select
        pages.document_id,
        pages.page_number,
        pages.first_line,
        pages.last_line,
        pages.has_text,
        documents.line_count as document_line_count,
        row_number() over (
            partition by pages.document_id order by pages.page_number
        ) as page_position,
        count(*) over (partition by pages.document_id) as page_total,
        lag(pages.last_line) over (
            partition by pages.document_id order by pages.page_number
        ) as previous_last_line
    from pages
    left join documents
        on pages.document_id = documents.document_id
),

final as (
    select
        *,
        case
            when document_line_count is null then 'page of a document that was not landed'
            when page_number <> page_position then 'page numbers are not 1..n'
            when page_position = 1 and first_line <> 1 then 'first page does not start at line 1'
            when page_position > 1 and first_line <> previous_last_line + 1
                then 'page does not start on the line after the previous page'
            when last_line < first_line - 1 then 'page ends before the line before its start'
            when not has_text and last_line >= first_line then 'page without text holds lines'
            when page_position = page_total and last_line <> document_line_count
                then 'last page does not end on the last line of the document'
        end as problem
    from ordered
)

select * from final
where problem is not null
