{#-
    Every reconciliation check the warehouse runs on the documents, one row per document ×
    check instance. A figure is never changed: a disagreement is a row here. status is 'ok'
    when the two sides are equal, 'rounding' when they differ by at most 0.01 万元 per figure
    summed, 'mismatch' otherwise.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{%- set check_models = [
    'int_reconciliation__children_sum',
    'int_reconciliation__row_identities',
    'int_reconciliation__narrative_vs_table',
    'int_reconciliation__narrative_sums',
    'int_reconciliation__summary_vs_expenditure',
    'int_reconciliation__income_vs_expenditure',
    'int_reconciliation__three_public',
    'int_reconciliation__procurement',
] -%}

with

documents as (
    select * from {{ ref('int_documents__identified') }}
    {{- changed_documents_filter() }}
),

pages as (
    select * from {{ ref('int_documents__pages') }}
    {{- changed_documents_filter() }}
),

checks as (
    {%- for model in check_models %}
    select
        document_id,
        check_family,
        check_name,
        check_key,
        source_kind,
        source_line,
        expected_wan,
        actual_wan,
        figure_count,
        detail
    from {{ ref(model) }}
    {{- changed_documents_filter() }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

measured as (
    select
        *,
        actual_wan - expected_wan as difference_wan,
        cast(0.01 * figure_count as decimal(18, 4)) as tolerance_wan
    from checks
),

final as (
    select
        {{ document_columns('documents') }},
        cast(measured.source_kind as {{ dbt.type_string() }}) as source_kind,
        cast(measured.source_line as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast({{ dbt.hash(dbt.concat([
            "measured.document_id", "'|'", "measured.check_key"
        ])) }} as {{ dbt.type_string() }}) as check_id,
        cast(measured.check_family as {{ dbt.type_string() }}) as check_family,
        cast(measured.check_name as {{ dbt.type_string() }}) as check_name,
        cast(measured.check_key as {{ dbt.type_string() }}) as check_key,
        cast(measured.expected_wan as decimal(18, 4)) as expected_wan,
        cast(measured.actual_wan as decimal(18, 4)) as actual_wan,
        cast(measured.difference_wan as decimal(18, 4)) as difference_wan,
        cast(measured.figure_count as {{ dbt.type_int() }}) as figure_count,
        cast(measured.tolerance_wan as decimal(18, 4)) as tolerance_wan,
        cast(
            case
                when measured.difference_wan = 0 then 'ok'
                when abs(measured.difference_wan) <= measured.tolerance_wan then 'rounding'
                else 'mismatch'
            end as {{ dbt.type_string() }}
        ) as status,
        cast(measured.detail as {{ dbt.type_string() }}) as detail
    from measured
    inner join documents
        on measured.document_id = documents.document_id
    {{ join_page_of('measured.document_id', 'measured.source_line') }}
)

select * from final
