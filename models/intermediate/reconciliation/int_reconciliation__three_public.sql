{#-
    Check: “三公” figures.
    - three_public_items (table, each period; narrative): the items add up to the total
      (因公出国 + 公务用车 + 公务接待 = 总计; the 公务用车 小计 is used when printed, else
      购置 + 运行维护), and 购置 + 运行维护 = the 公务用车 小计 when that is printed;
    - narrative_vs_table:three_public: each item the narrative states against the table, for
      the current year and, when the narrative gives it (amount − change or a prior-year
      figure), for the prior year.
    In a printed 三公 table a blank cell reads as 0; a narrative item not stated is not
    assumed. Expected = the total (or the table), actual = the sum (or the narrative).
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{%- set items = [
    'total', 'overseas_travel', 'official_reception',
    'vehicle_total', 'vehicle_purchase', 'vehicle_operation',
] -%}

with

table_items as (
    select * from {{ ref('int_three_public__table_items') }}
    {{- changed_documents_filter() }}
),

narrative_items as (
    select * from {{ ref('int_three_public__narrative_items') }}
    {{- changed_documents_filter() }}
),

-- One row per document × origin × period with every item side by side.
item_sets as (
    select
        document_id,
        'table' as origin,
        period,
        min(table_id) as table_id,
        {%- for item in items %}
        max(case when item = '{{ item }}' then amount_wan end) as {{ item }}_wan,
        max(case when item = '{{ item }}' then 1 else 0 end) as has_{{ item }},
        {%- endfor %}
        min(line_number) as source_line
    from table_items
    where period in ('current', 'prior')
    group by document_id, period
    union all
    select
        document_id,
        'narrative' as origin,
        'current' as period,
        cast(null as {{ dbt.type_int() }}) as table_id,
        {%- for item in items %}
        max(case when item = '{{ item }}' then amount_wan end) as {{ item }}_wan,
        max(case when item = '{{ item }}' and amount_wan is not null then 1 else 0 end)
            as has_{{ item }},
        {%- endfor %}
        min(line_number) as source_line
    from narrative_items
    where amount_wan is not null
    group by document_id
),

items_vs_total as (
    select
        document_id,
        origin,
        period,
        'total' as total_item,
        source_line,
        coalesce(total_wan, 0) as expected_wan,
        coalesce(overseas_travel_wan, 0)
        + coalesce(official_reception_wan, 0)
        + case
            when has_vehicle_total = 1 then vehicle_total_wan
            else coalesce(vehicle_purchase_wan, 0) + coalesce(vehicle_operation_wan, 0)
        end as actual_wan,
        has_overseas_travel + has_official_reception
        + case
            when has_vehicle_total = 1 then 1
            else has_vehicle_purchase + has_vehicle_operation
        end as figure_count,
        has_total
    from item_sets
    where
        has_overseas_travel + has_official_reception + has_vehicle_total
        + has_vehicle_purchase + has_vehicle_operation > 0
        and (origin = 'table' or has_total = 1)
),

vehicle_parts as (
    select
        document_id,
        origin,
        period,
        'vehicle_total' as total_item,
        source_line,
        coalesce(vehicle_total_wan, 0) as expected_wan,
        coalesce(vehicle_purchase_wan, 0) + coalesce(vehicle_operation_wan, 0) as actual_wan,
        has_vehicle_purchase + has_vehicle_operation as figure_count,
        has_vehicle_total as has_total
    from item_sets
    where
        (origin = 'table' and has_vehicle_total + has_vehicle_purchase + has_vehicle_operation > 0)
        or (
            origin = 'narrative' and has_vehicle_total = 1
            and has_vehicle_purchase + has_vehicle_operation > 0
        )
),

sums as (
    select * from items_vs_total
    union all
    select * from vehicle_parts
),

sum_checks as (
    select
        document_id,
        'three_public_items' as check_family,
        {{ dbt.concat([
            "'three_public_items:'", "origin", "':'",
            "case when period = 'current' then '' else period || '_' end", "total_item"
        ]) }} as check_name,
        case when origin = 'table' then 'table' else 'narrative' end as source_kind,
        source_line,
        cast(expected_wan as decimal(18, 4)) as expected_wan,
        cast(actual_wan as decimal(18, 4)) as actual_wan,
        figure_count,
        {{ dbt.concat([
            "origin", "' “三公” '",
            "case when period = 'current' then '' else period || ' year ' end",
            "case total_item when 'total' then '总计' else '公务用车 小计' end", "' '",
            "case when has_total = 1 then cast(cast(expected_wan as decimal(18, 2)) as "
            ~ dbt.type_string() ~ ") else 'blank (read as 0)' end",
            "', its '", dbt.safe_cast('figure_count', dbt.type_string()),
            "' items printed sum to '",
            "cast(cast(actual_wan as decimal(18, 2)) as " ~ dbt.type_string() ~ ")"
        ]) }} as detail
    from sums
),

table_periods as (
    select distinct
        document_id,
        period
    from table_items
    where period in ('current', 'prior')
),

narrative_values as (
    select
        document_id,
        item,
        'current' as period,
        amount_wan as narrative_wan,
        line_number as narrative_line
    from narrative_items
    where amount_wan is not null
    union all
    select
        document_id,
        item,
        'prior' as period,
        prior_year_amount_wan as narrative_wan,
        coalesce(change_line_number, line_number) as narrative_line
    from narrative_items
    where prior_year_amount_wan is not null
),

versus_table as (
    select
        narrative_values.document_id,
        'narrative_vs_table' as check_family,
        {{ dbt.concat([
            "'narrative_vs_table:three_public:'",
            "case when narrative_values.period = 'current' then '' else 'prior_' end",
            "narrative_values.item"
        ]) }} as check_name,
        'narrative' as source_kind,
        narrative_values.narrative_line as source_line,
        cast(coalesce(table_items.amount_wan, 0) as decimal(18, 4)) as expected_wan,
        cast(narrative_values.narrative_wan as decimal(18, 4)) as actual_wan,
        1 as figure_count,
        {{ dbt.concat([
            "'narrative line '",
            dbt.safe_cast('narrative_values.narrative_line', dbt.type_string()),
            "' “三公” '", "narrative_values.item",
            "case when narrative_values.period = 'current' then ' ' else ' (prior year) ' end",
            "cast(cast(narrative_values.narrative_wan as decimal(18, 2)) as "
            ~ dbt.type_string() ~ ")",
            "'; 三公 table: '",
            "coalesce(cast(cast(table_items.amount_wan as decimal(18, 2)) as "
            ~ dbt.type_string() ~ "), 'blank (read as 0)')"
        ]) }} as detail
    from narrative_values
    inner join table_periods
        on
            narrative_values.document_id = table_periods.document_id
            and narrative_values.period = table_periods.period
    left join table_items
        on
            narrative_values.document_id = table_items.document_id
            and narrative_values.item = table_items.item
            and narrative_values.period = table_items.period
),

unioned as (
    select * from sum_checks
    union all
    select * from versus_table
),

final as (
    select {{ reconciliation_check_columns() }}
    from unioned
)

select * from final
