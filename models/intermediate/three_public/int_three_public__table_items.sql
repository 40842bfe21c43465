{#-
    “三公” figures printed in the 三公 tables, one row per document × period × item. The
    columns are read from their header labels (总计 / 因公出国(境)费 / 公务用车购置及运行费 |
    小计 / 公务用车购置 / 公务用车运行(维护)费 / 公务接待费). A table that lists the
    合计 row and then each unit repeats the same figures: the 合计 (总计) row is used when
    printed, else the table's first row. Blank cells are not figures and do not appear.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

table_cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{- changed_documents_filter() }}
),

three_public_tables as (
    select
        *,
        max(
            case
                when column_label like '%会议费%' or column_label like '%培训费%' then 1
                else 0
            end
        ) over (partition by document_id, table_id) = 1 as has_meeting_or_training
    from table_cells
    where table_kind = 'three_public'
),

three_public_cells as (
    select
        document_id,
        table_id,
        line_number,
        row_number,
        column_number,
        row_label,
        column_label,
        period,
        case
            -- 会议费 / 培训费 columns beside the 三公 items (the Jiangsu template)
            when column_label like '%会议费%' then 'meeting'
            when column_label like '%培训费%' then 'training'
            when column_leaf = '小计' and column_label like '%公务用车%' then 'vehicle_total'
            -- "三公"经费 | 小计 is the 三公 total when the table also prints 会议费 / 培训费
            when column_leaf in ('小计', '合计', '总计') and column_label like '%三公%' then 'total'
            -- the first 合计 of such a table is 三公 + 会议费 + 培训费, not the 三公 total
            when column_leaf in ('总计', '合计') and has_meeting_or_training then 'grand_total'
            when column_leaf in ('总计', '合计') then 'total'
            when column_leaf like '%出国%' then 'overseas_travel'
            when column_leaf like '%接待%' then 'official_reception'
            when
                column_leaf like '%购置%'
                and (column_leaf like '%运行%' or column_leaf like '%维护%') then 'vehicle_total'
            when column_leaf like '%购置%' then 'vehicle_purchase'
            when column_leaf like '%运行%' or column_leaf like '%维护%' then 'vehicle_operation'
        end as item,
        amount_wan,
        amount_yuan
    from three_public_tables
),

table_rows as (
    select
        document_id,
        table_id,
        row_number,
        min(row_label) as row_label,
        max(case when row_label in ('合计', '总计') then 1 else 0 end) as is_total_row
    from three_public_cells
    where item is not null
    group by document_id, table_id, row_number
),

chosen_rows as (
    select
        document_id,
        table_id,
        row_number,
        row_number() over (
            partition by document_id
            order by is_total_row desc, table_id asc, row_number asc
        ) as row_rank
    from table_rows
),

chosen_cells as (
    select
        three_public_cells.*,
        row_number() over (
            partition by
                three_public_cells.document_id, three_public_cells.period,
                three_public_cells.item
            order by three_public_cells.column_number
        ) as cell_rank
    from three_public_cells
    inner join chosen_rows
        on
            three_public_cells.document_id = chosen_rows.document_id
            and three_public_cells.table_id = chosen_rows.table_id
            and three_public_cells.row_number = chosen_rows.row_number
    where
        chosen_rows.row_rank = 1
        and three_public_cells.item is not null
),

final as (
    select
        document_id,
        table_id,
        line_number,
        row_number,
        row_label,
        column_number,
        column_label,
        period,
        item,
        amount_wan,
        amount_yuan
    from chosen_cells
    where cell_rank = 1
)

select * from final
