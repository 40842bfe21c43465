{#-
    Every figure read from a document's tables, one row per printed cell, in the document's
    own terms: the table (kind, label, title), the row (code, row label) and the column
    (header labels joined top to bottom). The specific facts map these cells to measures,
    fund sources and income sources; this model keeps every cell, including tables no fact
    uses (收支总表 income side, tables whose title was lost, unidentified tables), so nothing
    the parser read is invisible. Page-break repeats (provably the same row printed twice) are
    not figures and are left out; audit_ingest counts them.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

documents as (
    select * from {{ ref('int_documents__identified') }}
    {{- changed_documents_filter() }}
),

pages as (
    select * from {{ ref('int_documents__pages') }}
    {{- changed_documents_filter() }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
    {{- changed_documents_filter() }}
),

cells as (
    select * from {{ ref('stg_landed__table_cells') }}
    {{- changed_documents_filter() }}
),

final as (
    select
        {{ document_columns('documents') }},
        cast('table' as {{ dbt.type_string() }}) as source_kind,
        cast(cells.line_number as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(cells.table_id as {{ dbt.type_int() }}) as table_id,
        tables.table_kind,
        tables.identified_by,
        tables.label as table_label,
        tables.title as table_title,
        cast(cells.row_number as {{ dbt.type_int() }}) as row_number,
        cast(cells.column_number as {{ dbt.type_int() }}) as column_number,
        cells.code,
        cells.row_label,
        cells.column_label,
        cast(cells.column_year as {{ dbt.type_int() }}) as column_year,
        cells.value_text,
        cast(cells.amount_value as decimal(20, 4)) as amount_value,
        cells.unit,
        cast(cells.amount_wan as decimal(18, 4)) as amount_wan,
        cast(cells.amount_yuan as decimal(20, 2)) as amount_yuan
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    inner join documents
        on cells.document_id = documents.document_id
    {{ join_page_of('cells.document_id', 'cells.line_number') }}
    where not cells.is_repeat
)

select * from final
