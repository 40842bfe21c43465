-- source_page is the PDF page that holds source_line: null for a document without pages (a
-- text document), and for a PDF the page whose line range holds the line, so a PDF fact with
-- a line always has a page. Fails with the rows of any model that has source_line where this
-- does not hold.
{%- set models_with_pages = [
    'fct_expenditure_by_function',
    'fct_expenditure_by_economic',
    'fct_budget_summary',
    'fct_three_public',
    'fct_income_by_source',
    'fct_procurement',
    'fct_performance_targets',
    'fct_performance_evaluation',
    'fct_performance_funds',
    'fct_narrative_figures',
    'fct_table_figures',
    'audit_reconciliation',
] %}

with

pages as (
    select * from {{ ref('int_documents__pages') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

facts as (
    {%- for model in models_with_pages %}
    select
        '{{ model }}' as model_name,
        document_id,
        source_line,
        source_page
    from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

checked as (
    select
        facts.model_name,
        facts.document_id,
        facts.source_line,
        facts.source_page,
        documents.page_count,
        pages.first_line as page_first_line,
        pages.last_line as page_last_line
    from facts
    inner join documents
        on facts.document_id = documents.document_id
    left join pages
        on
            facts.document_id = pages.document_id
            and facts.source_page = pages.page_number
),

final as (
    select
        *,
        case
            when page_count is null and source_page is not null
                then 'page given for a document without pages'
            when page_count is not null and source_line is not null and source_page is null
                then 'line of a PDF document on no page'
            when source_page is not null and page_first_line is null
                then 'page not in the document'
            when source_line not between page_first_line and page_last_line
                then 'line not on the page'
        end as problem
    from checked
)

select * from final
where problem is not null
