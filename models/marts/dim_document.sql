with

documents as (
    select * from {{ ref('int_documents__identified') }}
),

pages as (
    select * from {{ ref('int_documents__pages') }}
),

page_counts as (
    select
        document_id,
        count(*) as page_count
    from pages
    group by document_id
),

pages_without_text as (
    select
        document_id,
        {{ dbt.listagg(
            measure=dbt.cast('page_number', dbt.type_string()),
            delimiter_text="', '",
            order_by_clause='order by page_number'
        ) }} as page_list
    from pages
    where not has_text
    group by document_id
),

final as (
    select
        {{ document_columns('documents') }},
        documents.scope,
        documents.unit_code,
        documents.parent_unit_name,
        documents.title,
        documents.title_line,
        documents.identified_by,
        documents.source_file,
        documents.sha256,
        documents.content_sha256,
        documents.encoding,
        documents.published_date,
        documents.supersedes,
        documents.is_superseded,
        documents.parser_version,
        documents.line_count,
        documents.table_count,
        documents.rows_landed,
        documents.unparsed_lines,
        cast(page_counts.page_count as {{ dbt.type_int() }}) as page_count,
        cast(pages_without_text.page_list as {{ dbt.type_string() }}) as pages_without_text
    from documents
    left join page_counts
        on documents.document_id = page_counts.document_id
    left join pages_without_text
        on documents.document_id = pages_without_text.document_id
)

select * from final
