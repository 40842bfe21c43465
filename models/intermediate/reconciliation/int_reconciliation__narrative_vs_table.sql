{#-
    Check: a headline figure stated in the narrative against the same figure in the document's
    tables (basic / project expenditure, totals, one 类's expenditure, personnel / public
    operating, income). The table compared is chosen by the figure's fund source: a figure of
    the 一般公共预算 goes first to the 一般公共预算财政拨款支出表, any other first to the
    部门支出总表; the other table is used only when the preferred one is not printed. A 类
    named in the narrative is resolved through the reference 类 names (int_expenditure__function_names),
    else through the 类 rows of the document's own tables. In a printed table a blank cell or
    a 类 without a row reads as 0. One row per narrative figure × table compared; expected =
    the table, actual = the narrative.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{#- (figure key, doc kind, fund group, table kind, column type, column value, preference) -#}
{%- set targets = [
    ('total_expenditure', 'budget', 'any',
        'expenditure_summary', 'measure', 'total', 1),
    ('current_expenditure', 'final_accounts', 'any',
        'expenditure_summary', 'measure', 'total', 1),
    ('general_public_budget_expenditure', 'any', 'any',
        'general_budget_expenditure', 'measure', 'total', 1),
    ('government_fund_expenditure', 'any', 'any',
        'government_fund_expenditure', 'measure', 'total', 1),
    ('state_capital_expenditure', 'any', 'any',
        'state_capital_expenditure', 'measure', 'total', 1),
    ('basic_expenditure', 'any', 'general_public_budget',
        'general_budget_expenditure', 'measure', 'basic', 1),
    ('basic_expenditure', 'any', 'general_public_budget',
        'expenditure_summary', 'measure', 'basic', 2),
    ('basic_expenditure', 'any', 'other',
        'expenditure_summary', 'measure', 'basic', 1),
    ('basic_expenditure', 'any', 'other',
        'general_budget_expenditure', 'measure', 'basic', 2),
    ('project_expenditure', 'any', 'general_public_budget',
        'general_budget_expenditure', 'measure', 'project', 1),
    ('project_expenditure', 'any', 'general_public_budget',
        'expenditure_summary', 'measure', 'project', 2),
    ('project_expenditure', 'any', 'other',
        'expenditure_summary', 'measure', 'project', 1),
    ('project_expenditure', 'any', 'other',
        'general_budget_expenditure', 'measure', 'project', 2),
    ('class_expenditure', 'any', 'general_public_budget',
        'general_budget_expenditure', 'measure', 'total', 1),
    ('class_expenditure', 'any', 'general_public_budget',
        'expenditure_summary', 'measure', 'total', 2),
    ('class_expenditure', 'any', 'other',
        'expenditure_summary', 'measure', 'total', 1),
    ('class_expenditure', 'any', 'other',
        'general_budget_expenditure', 'measure', 'total', 2),
    ('personnel_expenditure', 'any', 'any',
        'general_budget_basic_expenditure', 'measure', 'personnel', 1),
    ('public_operating_expenditure', 'any', 'any',
        'general_budget_basic_expenditure', 'measure', 'public_operating', 1),
    ('total_income', 'budget', 'any',
        'income_summary', 'measure', 'total', 1),
    ('current_income', 'final_accounts', 'any',
        'income_summary', 'measure', 'total', 1),
    ('general_public_budget_income', 'any', 'any',
        'income_summary', 'source', 'general_public_budget', 1),
] -%}

with

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
    {{- changed_documents_filter() }}
),

documents as (
    select * from {{ ref('stg_landed__documents') }}
    {{- changed_documents_filter() }}
),

table_cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{- changed_documents_filter() }}
),

function_names as (
    select * from {{ ref('int_expenditure__function_names') }}
),

targets as (
    {%- for key, doc_kind, fund_group, table_kind, column_type, value, preference in targets %}
    select
        '{{ key }}' as figure_key,
        '{{ doc_kind }}' as doc_kind,
        '{{ fund_group }}' as fund_group,
        '{{ table_kind }}' as table_kind,
        '{{ column_type }}' as column_type,
        '{{ value }}' as column_value,
        {{ preference }} as preference
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

narrative as (
    select
        prose_figures.document_id,
        documents.doc_kind,
        prose_figures.line_number,
        prose_figures.figure_key,
        prose_figures.subject,
        prose_figures.fund_source,
        case
            when prose_figures.fund_source = 'general_public_budget' then 'general_public_budget'
            else 'other'
        end as fund_group,
        {{ normalise_function_name('prose_figures.subject') }} as subject_normalised,
        prose_figures.amount_wan,
        -- statements of one key on one line (the same figure stated twice, or under two
        -- wordings) are told apart by this number, so the check key is unique by construction
        row_number() over (
            partition by
                prose_figures.document_id,
                prose_figures.line_number,
                prose_figures.figure_key
            order by
                prose_figures.amount_wan nulls last,
                prose_figures.subject nulls last,
                prose_figures.fund_source nulls last
        ) as statement_seq
    from prose_figures
    inner join documents
        on prose_figures.document_id = documents.document_id
    where
        prose_figures.qualifier = 'amount'
        and prose_figures.amount_wan is not null
),

-- 类 rows printed in the document's own tables, by normalised name.
table_class_names as (
    select
        document_id,
        {{ normalise_function_name('row_label') }} as name_normalised,
        min(code) as function_code
    from table_cells
    where code_level = 1
    group by document_id, {{ normalise_function_name('row_label') }}
),

narrative_resolved as (
    select
        narrative.*,
        case
            when narrative.figure_key = 'class_expenditure'
                then coalesce(function_names.function_code, table_class_names.function_code)
        end as class_code
    from narrative
    left join function_names
        on narrative.subject_normalised = function_names.name_normalised
    left join table_class_names
        on
            narrative.document_id = table_class_names.document_id
            and narrative.subject_normalised = table_class_names.name_normalised
    where
        narrative.figure_key != 'class_expenditure'
        or coalesce(function_names.function_code, table_class_names.function_code) is not null
),

-- The first current-year column of each measure and of each source, per table.
target_columns as (
    select
        document_id,
        table_id,
        table_kind,
        'measure' as column_type,
        measure as column_value,
        min(column_number) as column_number
    from table_cells
    where period = 'current' and measure is not null
    group by document_id, table_id, table_kind, measure
    union all
    select
        document_id,
        table_id,
        table_kind,
        'source' as column_type,
        source as column_value,
        min(column_number) as column_number
    from table_cells
    where period = 'current' and source is not null
    group by document_id, table_id, table_kind, source
),

candidates as (
    select
        narrative_resolved.*,
        targets.table_kind,
        targets.column_value,
        targets.preference,
        target_columns.table_id,
        target_columns.column_number,
        dense_rank() over (
            partition by
                narrative_resolved.document_id,
                narrative_resolved.line_number,
                narrative_resolved.figure_key,
                narrative_resolved.statement_seq
            order by targets.preference
        ) as preference_rank
    from narrative_resolved
    inner join targets
        on
            narrative_resolved.figure_key = targets.figure_key
            and (targets.doc_kind = 'any' or narrative_resolved.doc_kind = targets.doc_kind)
            and (targets.fund_group = 'any' or narrative_resolved.fund_group = targets.fund_group)
    inner join target_columns
        on
            narrative_resolved.document_id = target_columns.document_id
            and targets.table_kind = target_columns.table_kind
            and targets.column_type = target_columns.column_type
            and targets.column_value = target_columns.column_value
),

total_rows as (
    select
        document_id,
        table_id,
        min(row_number) as row_number
    from table_cells
    where is_total_row
    group by document_id, table_id
),

class_rows as (
    select
        document_id,
        table_id,
        code,
        min(row_number) as row_number
    from table_cells
    where code_level = 1
    group by document_id, table_id, code
),

compared as (
    select
        candidates.*,
        coalesce(class_rows.row_number, total_rows.row_number) as table_row_number,
        table_cells.amount_wan as table_wan,
        table_cells.line_number as table_line,
        table_cells.row_label as table_row_label,
        table_cells.column_label as table_column_label,
        case
            when candidates.class_code is not null and class_rows.row_number is null
                then 'no row for this 类 (read as 0)'
            when table_cells.amount_wan is null then 'cell blank (read as 0)'
            else 'printed'
        end as table_state
    from candidates
    left join total_rows
        on
            candidates.class_code is null
            and candidates.document_id = total_rows.document_id
            and candidates.table_id = total_rows.table_id
    left join class_rows
        on
            candidates.class_code is not null
            and candidates.document_id = class_rows.document_id
            and candidates.table_id = class_rows.table_id
            and candidates.class_code = class_rows.code
    left join table_cells
        on
            candidates.document_id = table_cells.document_id
            and candidates.table_id = table_cells.table_id
            and coalesce(class_rows.row_number, total_rows.row_number) = table_cells.row_number
            and candidates.column_number = table_cells.column_number
    where
        candidates.preference_rank = 1
        and (candidates.class_code is not null or total_rows.row_number is not null)
),

final as (
    select
        {{ reconciliation_check_columns(
            family="'narrative_vs_table'",
            name=[
                "'narrative_vs_table:'", "figure_key",
                "coalesce(':' || class_code, '')", "':'", "table_kind"
            ],
            location=[
                "'@line'", dbt.safe_cast('line_number', dbt.type_string()),
                "case when statement_seq > 1 then '#' || "
                ~ dbt.safe_cast('statement_seq', dbt.type_string()) ~ " else '' end",
                "':table'", dbt.safe_cast('table_id', dbt.type_string()),
                "':column'", dbt.safe_cast('column_number', dbt.type_string()),
                "':'", "column_value"
            ],
            source_kind="'narrative'",
            source_line='line_number',
            expected_wan='coalesce(table_wan, 0)',
            actual_wan='amount_wan',
            figure_count='1',
            detail=dbt.concat([
                "'narrative line '", dbt.safe_cast('line_number', dbt.type_string()),
                "' states '", "figure_key",
                "coalesce(' ' || subject, '')",
                "' '", wan_text('amount_wan'),
                "'; table '", dbt.safe_cast('table_id', dbt.type_string()),
                "' ('", "table_kind", "') row '",
                "coalesce(class_code, coalesce(table_row_label, '合计'))",
                "', column '''", "coalesce(table_column_label, column_value)", "''': '",
                "case when table_state = 'printed' then " ~ wan_text('table_wan')
                ~ " else table_state end"
            ])
        ) }}
    from compared
)

select * from final
