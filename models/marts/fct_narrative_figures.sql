{#-
    Every figure read from a document's narrative, one row each, with what it measures
    (figure_key, qualifier, subject, fund source) and where it is printed. The specific facts
    (fct_budget_summary, fct_three_public, fct_procurement, …) take their narrative figures
    from here; this model keeps the rest too (changes on the prior year, shares, counts of
    团组 / 批次 / 车辆, training and meeting costs, carry-over, execution rates, figures no
    rule classified), so nothing the parser read is invisible to an analyst.
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

figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
    {{- changed_documents_filter() }}
),

numbered as (
    select
        figures.*,
        row_number() over (
            partition by figures.document_id
            order by
                figures.line_number nulls last, figures.figure_key nulls last,
                figures.qualifier nulls last, figures.fund_source nulls last,
                figures.subject nulls last, figures.amount nulls last
        ) as figure_seq
    from figures
),

final as (
    select
        {{ document_columns('documents') }},
        cast('narrative' as {{ dbt.type_string() }}) as source_kind,
        cast(numbered.line_number as {{ dbt.type_int() }}) as source_line,
        {{ page_of() }} as source_page,
        cast(numbered.figure_seq as {{ dbt.type_int() }}) as figure_seq,
        numbered.section,
        numbered.figure_key,
        numbered.qualifier,
        numbered.subject,
        numbered.fund_source,
        cast(numbered.amount_value as decimal(20, 4)) as amount_value,
        numbered.unit,
        cast(numbered.amount_wan as decimal(18, 4)) as amount_wan,
        cast(numbered.amount_yuan as decimal(20, 2)) as amount_yuan,
        numbered.context
    from numbered
    inner join documents
        on numbered.document_id = documents.document_id
    {{ join_page_of('numbered.document_id', 'numbered.line_number') }}
)

select * from final
