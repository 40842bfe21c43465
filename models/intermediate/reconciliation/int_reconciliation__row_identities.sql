{#-
    Check: within one printed row, the parts add up to the row's total, for every table whose
    header has the parts: basic + project = total (function-code tables), personnel +
    public_operating = total (basic-expenditure tables by economic code). Columns are paired
    within one period (current / prior). A blank part or total reads as 0 when the row prints
    another of the three. One row per document × table × row × identity; expected = the
    total, actual = the sum of the parts.
-#}

{#- Built after int_reconciliation__children_sum, never beside it: both aggregate every money
    cell, and side by side under the build's one DuckDB memory cap (profiles.yml, 1 GB) they
    ran out of memory at 10,000 documents (docs/STACK_NOTES.md). -#}
-- depends_on: {{ ref('int_reconciliation__children_sum') }}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{%- set identities = [
    {'name': 'basic_plus_project', 'parts': ['basic', 'project']},
    {'name': 'personnel_plus_public_operating', 'parts': ['personnel', 'public_operating']},
] -%}
{%- set measures = ['total', 'basic', 'project', 'personnel', 'public_operating'] -%}

with

table_cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{- changed_documents_filter() }}
),

-- The first column of each measure in each table and period.
measure_columns as (
    select
        document_id,
        table_id,
        period,
        measure,
        min(column_number) as column_number
    from table_cells
    where measure is not null
    group by document_id, table_id, period, measure
),

row_measures as (
    select
        table_cells.document_id,
        table_cells.table_id,
        table_cells.table_kind,
        table_cells.row_number,
        table_cells.period,
        min(table_cells.line_number) as line_number,
        min(table_cells.code) as code,
        min(table_cells.row_label) as row_label,
        {%- for measure in measures %}
        sum(case when table_cells.measure = '{{ measure }}' then table_cells.amount_wan end)
            as {{ measure }}_wan,
        count(case when table_cells.measure = '{{ measure }}' then 1 end)
            as {{ measure }}_printed,
        {%- endfor %}
        max(case when table_cells.is_total_row then 1 else 0 end) as is_total_row
    from table_cells
    inner join measure_columns
        on
            table_cells.document_id = measure_columns.document_id
            and table_cells.table_id = measure_columns.table_id
            and table_cells.period = measure_columns.period
            and table_cells.measure = measure_columns.measure
            and table_cells.column_number = measure_columns.column_number
    group by
        table_cells.document_id,
        table_cells.table_id,
        table_cells.table_kind,
        table_cells.row_number,
        table_cells.period
),

table_measures as (
    select
        document_id,
        table_id,
        {%- for measure in measures %}
        max(case when measure = '{{ measure }}' then 1 else 0 end) as has_{{ measure }},
        {%- endfor %}
        period
    from measure_columns
    group by document_id, table_id, period
),

checks as (
    {%- for identity in identities %}
    {%- set first, second = identity.parts %}
    select
        row_measures.document_id,
        row_measures.table_id,
        row_measures.table_kind,
        row_measures.row_number,
        row_measures.period,
        row_measures.line_number,
        row_measures.code,
        row_measures.row_label,
        row_measures.is_total_row,
        '{{ identity.name }}' as identity_name,
        '{{ first }}' as first_part,
        '{{ second }}' as second_part,
        row_measures.total_wan,
        row_measures.{{ first }}_wan as first_wan,
        row_measures.{{ second }}_wan as second_wan,
        row_measures.{{ first }}_printed + row_measures.{{ second }}_printed as parts_printed,
        row_measures.total_printed
    from row_measures
    inner join table_measures
        on
            row_measures.document_id = table_measures.document_id
            and row_measures.table_id = table_measures.table_id
            and row_measures.period = table_measures.period
    where
        table_measures.has_total = 1
        and (table_measures.has_{{ first }} = 1 or table_measures.has_{{ second }} = 1)
        and (
            row_measures.total_printed
            + row_measures.{{ first }}_printed
            + row_measures.{{ second }}_printed
        ) > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

named as (
    select
        *,
        {{ dbt.concat([
            "identity_name", "':'", "table_kind", "':'",
            "case when period = 'current' then '' else period || '_' end",
            "case when is_total_row = 1 then 'total' "
            ~ "else coalesce(code, 'row_' || " ~ dbt.safe_cast('row_number', dbt.type_string())
            ~ ") end"
        ]) }} as check_name
    from checks
),

final as (
    select
        {{ reconciliation_check_columns(
            family='identity_name',
            location=[
                "'@table'", dbt.safe_cast('table_id', dbt.type_string()),
                "':row'", dbt.safe_cast('row_number', dbt.type_string())
            ],
            source_kind="'table'",
            source_line='line_number',
            expected_wan='coalesce(total_wan, 0)',
            actual_wan='coalesce(first_wan, 0) + coalesce(second_wan, 0)',
            figure_count='parts_printed',
            detail=dbt.concat([
                "'table '", dbt.safe_cast('table_id', dbt.type_string()),
                "' ('", "table_kind", "'), row '",
                "coalesce(code || ' ', '')", "coalesce(row_label, '')",
                "' (line '", dbt.safe_cast('line_number', dbt.type_string()), "')'",
                "case when period = 'current' then '' else ', ' || period || ' year' end",
                "': total '", wan_text('total_wan', 'blank (read as 0)'),
                "', '", "first_part", "' '", wan_text('first_wan', 'blank'),
                "' + '", "second_part", "' '", wan_text('second_wan', 'blank')
            ])
        ) }}
    from named
)

select * from final
