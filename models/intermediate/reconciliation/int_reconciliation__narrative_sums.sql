{#-
    Check: the narrative against itself.
    - narrative_class_sum: the 类 expenditures it lists sum to the expenditure total it states;
    - narrative_basic_plus_project: 基本支出 + 项目支出 = the expenditure total;
    - narrative_personnel_plus_public_operating: 人员经费 + 公用经费 = 基本支出;
    - narrative_income_vs_expenditure: 收入总计 = 支出总计 (and, in a budget, 一般公共预算
      财政拨款收入 = 一般公共预算财政拨款支出).
    Figures are grouped by fund source (一般公共预算 vs the rest); the total compared is the
    first one the narrative states among the preferred keys (本年支出合计 / 支出总计 /
    一般公共预算财政拨款支出, in an order that follows the fund source). The first statement
    of each figure is used. One row per document × check; expected = the stated total, actual
    = the sum.
-#}

{{ config(
    materialized=per_document_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_documents() }}"
) }}

{%- set total_preferences = [
    ('general_public_budget', 'general_public_budget_expenditure', 1),
    ('general_public_budget', 'current_expenditure', 2),
    ('general_public_budget', 'total_expenditure', 3),
    ('other', 'current_expenditure', 1),
    ('other', 'total_expenditure', 2),
    ('other', 'general_public_budget_expenditure', 3),
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

amounts as (
    select
        prose_figures.document_id,
        documents.doc_kind,
        prose_figures.line_number,
        prose_figures.figure_key,
        prose_figures.subject,
        {{ normalise_function_name('prose_figures.subject') }} as subject_normalised,
        case
            when prose_figures.fund_source = 'general_public_budget' then 'general_public_budget'
            else 'other'
        end as fund_group,
        prose_figures.amount_wan
    from prose_figures
    inner join documents
        on prose_figures.document_id = documents.document_id
    where
        prose_figures.qualifier = 'amount'
        and prose_figures.amount_wan is not null
),

-- First statement per document × fund group × key (× 类 name for class_expenditure only:
-- 基本支出 stated under three wordings is still one figure, so basic × project is one pair).
firsts as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by
                    document_id,
                    fund_group,
                    figure_key,
                    case
                        when figure_key = 'class_expenditure'
                            then coalesce(subject_normalised, '')
                        else ''
                    end
                order by line_number nulls last, amount_wan nulls last
            ) as statement_rank
        from amounts
    ) as ranked
    where statement_rank = 1
),

-- First statement per document × key, whatever the fund group.
key_firsts as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by document_id, figure_key
                order by line_number nulls last, amount_wan nulls last
            ) as statement_rank
        from amounts
        where figure_key != 'class_expenditure'
    ) as ranked
    where statement_rank = 1
),

total_preferences as (
    {%- for fund_group, figure_key, preference in total_preferences %}
    select
        '{{ fund_group }}' as fund_group,
        '{{ figure_key }}' as figure_key,
        {{ preference }} as preference
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- The total each fund group's parts are compared with.
group_totals as (
    select *
    from (
        select
            groups.document_id,
            groups.fund_group,
            key_firsts.figure_key as total_key,
            key_firsts.line_number as total_line,
            key_firsts.amount_wan as total_wan,
            row_number() over (
                partition by groups.document_id, groups.fund_group
                order by total_preferences.preference
            ) as total_rank
        from (select distinct
            document_id,
            fund_group
        from firsts) as groups
        inner join total_preferences
            on groups.fund_group = total_preferences.fund_group
        inner join key_firsts
            on
                groups.document_id = key_firsts.document_id
                and total_preferences.figure_key = key_firsts.figure_key
    ) as ranked
    where total_rank = 1
),

class_sums as (
    select
        firsts.document_id,
        firsts.fund_group,
        'narrative_class_sum' as check_family,
        group_totals.total_key,
        group_totals.total_line as source_line,
        group_totals.total_wan as expected_wan,
        sum(firsts.amount_wan) as actual_wan,
        count(*) as figure_count,
        min(firsts.line_number) as first_part_line
    from firsts
    inner join group_totals
        on
            firsts.document_id = group_totals.document_id
            and firsts.fund_group = group_totals.fund_group
    where firsts.figure_key = 'class_expenditure'
    group by
        firsts.document_id,
        firsts.fund_group,
        group_totals.total_key,
        group_totals.total_line,
        group_totals.total_wan
),

basic_plus_project as (
    select
        basic.document_id,
        basic.fund_group,
        'narrative_basic_plus_project' as check_family,
        group_totals.total_key,
        group_totals.total_line as source_line,
        group_totals.total_wan as expected_wan,
        basic.amount_wan + project.amount_wan as actual_wan,
        2 as figure_count,
        basic.line_number as first_part_line
    from firsts as basic
    inner join firsts as project
        on
            basic.document_id = project.document_id
            and basic.fund_group = project.fund_group
            and project.figure_key = 'project_expenditure'
    inner join group_totals
        on
            basic.document_id = group_totals.document_id
            and basic.fund_group = group_totals.fund_group
    where basic.figure_key = 'basic_expenditure'
),

personnel_plus_public_operating as (
    select
        personnel.document_id,
        personnel.fund_group,
        'narrative_personnel_plus_public_operating' as check_family,
        'basic_expenditure' as total_key,
        basic.line_number as source_line,
        basic.amount_wan as expected_wan,
        personnel.amount_wan + public_operating.amount_wan as actual_wan,
        2 as figure_count,
        personnel.line_number as first_part_line
    from key_firsts as personnel
    inner join key_firsts as public_operating
        on
            personnel.document_id = public_operating.document_id
            and public_operating.figure_key = 'public_operating_expenditure'
    inner join key_firsts as basic
        on
            personnel.document_id = basic.document_id
            and basic.figure_key = 'basic_expenditure'
    where personnel.figure_key = 'personnel_expenditure'
),

income_vs_expenditure as (
    select
        income.document_id,
        'any' as fund_group,
        'narrative_income_vs_expenditure' as check_family,
        expenditure.figure_key as total_key,
        income.line_number as source_line,
        expenditure.amount_wan as expected_wan,
        income.amount_wan as actual_wan,
        1 as figure_count,
        income.line_number as first_part_line
    from key_firsts as income
    inner join key_firsts as expenditure
        on
            income.document_id = expenditure.document_id
            and (
                (
                    income.figure_key = 'total_income'
                    and expenditure.figure_key = 'total_expenditure'
                )
                or (
                    income.doc_kind = 'budget'
                    and income.figure_key = 'general_public_budget_income'
                    and expenditure.figure_key = 'general_public_budget_expenditure'
                )
            )
),

unioned as (
    select * from class_sums
    union all
    select * from basic_plus_project
    union all
    select * from personnel_plus_public_operating
    union all
    select * from income_vs_expenditure
),

final as (
    select
        {{ reconciliation_check_columns(
            name=["check_family", "':'", "fund_group", "':'", "total_key"],
            location=["'@line'", dbt.safe_cast('source_line', dbt.type_string())],
            source_kind="'narrative'",
            detail=dbt.concat([
                "'narrative: '", "total_key", "' (line '",
                dbt.safe_cast('source_line', dbt.type_string()), "') '",
                wan_text('expected_wan'),
                "' vs '",
                "case check_family "
                ~ "when 'narrative_class_sum' then 'the sum of the ' || "
                ~ dbt.safe_cast('figure_count', dbt.type_string()) ~ " || ' 类 figures stated' "
                ~ "when 'narrative_basic_plus_project' then '基本支出 + 项目支出' "
                ~ "when 'narrative_personnel_plus_public_operating' then '人员经费 + 公用经费' "
                ~ "else 'the income stated' end",
                "' (from line '", dbt.safe_cast('first_part_line', dbt.type_string()), "') '",
                wan_text('actual_wan')
            ])
        ) }}
    from unioned
)

select * from final
