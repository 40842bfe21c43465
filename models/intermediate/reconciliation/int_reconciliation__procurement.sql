{#-
    Check: government procurement.
    - procurement_parts: 货物 + 工程 + 服务 = 总额, per source (narrative / table) and fund
      source, when the total and at least one part are given;
    - narrative_vs_table:procurement: each figure the narrative states against the
      procurement table's figure for the same category and fund source, when the document
      prints a procurement table with figures (a blank cell reads as 0).
    Expected = the total (or the table), actual = the sum (or the narrative).
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

figures as (
    select * from {{ ref('int_procurement__figures') }}
    {{- changed_documents_filter() }}
),

part_sets as (
    select
        document_id,
        source_kind,
        fund_source,
        min(case when category = 'total' then line_number end) as total_line,
        max(case when category = 'total' then amount_wan end) as total_wan,
        sum(case when category in ('goods', 'works', 'services') then amount_wan end) as parts_wan,
        count(case when category in ('goods', 'works', 'services') then 1 end) as parts_printed,
        max(case when category = 'total' then 1 else 0 end) as has_total
    from figures
    group by document_id, source_kind, fund_source
),

part_checks as (
    select
        document_id,
        'procurement_parts' as check_family,
        {{ dbt.concat(["'procurement_parts:'", "source_kind", "':'", "fund_source"]) }}
            as check_name,
        source_kind,
        total_line as source_line,
        cast(total_wan as decimal(18, 4)) as expected_wan,
        cast(parts_wan as decimal(18, 4)) as actual_wan,
        parts_printed as figure_count,
        {{ dbt.concat([
            "source_kind", "' procurement total ('", "fund_source", "') '",
            "cast(cast(total_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")",
            "', goods + works + services ('", dbt.safe_cast('parts_printed', dbt.type_string()),
            "' printed) '",
            "cast(cast(parts_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")"
        ]) }} as detail
    from part_sets
    where
        has_total = 1
        and parts_printed > 0
),

documents_with_table as (
    select distinct document_id from figures
    where source_kind = 'table'
),

versus_table as (
    select
        narrative.document_id,
        'narrative_vs_table' as check_family,
        {{ dbt.concat([
            "'narrative_vs_table:procurement:'", "narrative.category", "':'",
            "narrative.fund_source"
        ]) }} as check_name,
        'narrative' as source_kind,
        narrative.line_number as source_line,
        cast(coalesce(tabled.amount_wan, 0) as decimal(18, 4)) as expected_wan,
        cast(narrative.amount_wan as decimal(18, 4)) as actual_wan,
        1 as figure_count,
        {{ dbt.concat([
            "'narrative line '", dbt.safe_cast('narrative.line_number', dbt.type_string()),
            "' procurement '", "narrative.category", "' ('", "narrative.fund_source", "') '",
            "cast(cast(narrative.amount_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")",
            "'; procurement table: '",
            "coalesce(cast(cast(tabled.amount_wan as decimal(18, 2)) as "
            ~ dbt.type_string() ~ "), 'blank (read as 0)')"
        ]) }} as detail
    from figures as narrative
    inner join documents_with_table
        on narrative.document_id = documents_with_table.document_id
    left join figures as tabled
        on
            narrative.document_id = tabled.document_id
            and narrative.category = tabled.category
            and narrative.fund_source = tabled.fund_source
            and tabled.source_kind = 'table'
    where
        narrative.source_kind = 'narrative'
        and narrative.category in ('total', 'goods', 'works', 'services')
),

unioned as (
    select * from part_checks
    union all
    select * from versus_table
),

final as (
    select {{ reconciliation_check_columns() }}
    from unioned
)

select * from final
