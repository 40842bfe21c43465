{#-
    Government procurement figures from both places a document gives them, one row per
    document × source kind × category × fund source: the narrative (政府采购预算总额 /
    货物 / 工程 / 服务, 授予中小企业 / 小微企业合同金额) and the procurement table
    (政府采购预算明细表: rows 合计 / 货物类 / 工程类 / 服务类 × source columns). The first
    statement of each wins within one source kind; fct_procurement chooses between them.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

with

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
    {{- changed_documents_filter() }}
),

table_cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{- changed_documents_filter() }}
),

narrative as (
    select
        document_id,
        'narrative' as source_kind,
        line_number,
        case figure_key
            when 'procurement_total' then 'total'
            when 'procurement_goods' then 'goods'
            when 'procurement_works' then 'works'
            when 'procurement_services' then 'services'
            when 'procurement_sme_awarded' then 'sme_awarded'
            when 'procurement_small_micro_awarded' then 'small_micro_awarded'
        end as category,
        coalesce(fund_source, 'all') as fund_source,
        cast(null as {{ dbt.type_int() }}) as table_id,
        context as printed_as,
        amount_wan,
        amount_yuan
    from prose_figures
    where
        figure_key like 'procurement!_%' escape '!'
        and qualifier = 'amount'
        and amount_wan is not null
),

tabled as (
    select
        document_id,
        'table' as source_kind,
        line_number,
        case
            when row_label in ('合计', '总计') then 'total'
            when row_label like '货物%' then 'goods'
            when row_label like '工程%' then 'works'
            when row_label like '服务%' then 'services'
        end as category,
        case when measure = 'total' then 'all' else source end as fund_source,
        table_id,
        {{ dbt.concat(["coalesce(row_label, '')", "' | '", "coalesce(column_label, '')"]) }}
            as printed_as,
        amount_wan,
        amount_yuan
    from table_cells
    where
        table_kind = 'procurement'
        and period = 'current'
),

unioned as (
    select * from narrative
    union all
    select * from tabled
),

ranked as (
    select
        *,
        row_number() over (
            partition by document_id, source_kind, category, fund_source
            order by line_number, table_id
        ) as statement_rank
    from unioned
    where
        category is not null
        and fund_source is not null
),

final as (
    select
        document_id,
        source_kind,
        line_number,
        category,
        fund_source,
        table_id,
        printed_as,
        amount_wan,
        amount_yuan
    from ranked
    where statement_rank = 1
)

select * from final
