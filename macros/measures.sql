{#-
    Column label → canonical measure. Labels are the header cells above a column joined with
    ' | ' (e.g. '2025年预算数 | 基本支出', '本年支出合计', '2025年基本支出 | 人员经费').
-#}

{#-
    THE rule set for column labels, used by the facts (int_expenditure__table_cells) and by the
    audit (int_tables__money_cells) alike. Rules are tried in order on the whole label
    (every header level, ' | '-joined); the first whose pattern (SQL LIKE) matches wins.

    column_label_measure_rules: pattern → label measure. 'change' (比上年增减, 增减额, 增长%,
    增减率, 占比 …) and 'carried_over' (上年结转, 结转下年, 结余) are no amount measure.
-#}
{% macro column_label_measure_rules() %}{{ return([
    ('%增减%', 'change'),
    ('%增长%', 'change'),
    ('%增幅%', 'change'),
    ('%变动%', 'change'),
    ('%比上年%', 'change'),
    ('%比重%', 'change'),
    ('%占比%', 'change'),
    ('%率%', 'change'),
    ('%结转%', 'carried_over'),
    ('%结余%', 'carried_over'),
    ('%人员经费%', 'personnel'),
    ('%公用经费%', 'public_operating'),
    ('%预留机动%', 'reserve'),
    ('%基本支出%', 'basic'),
    ('%项目支出%', 'project'),
    ('%总计%', 'total'),
    ('%合计%', 'total'),
    ('%小计%', 'total'),
    ('%预算数%', 'total'),
    ('%决算数%', 'total'),
    ('%执行数%', 'total'),
]) }}{% endmacro %}

{#- column_label_source_rules: pattern → fund or income source of the column. -#}
{% macro column_label_source_rules() %}{{ return([
    ('%上年结转%', 'carried_over'),
    ('%年初结转%', 'carried_over'),
    ('%政府性基金%', 'government_fund'),
    ('%国有资本%', 'state_capital'),
    ('%财政专户%', 'fiscal_special_account'),
    ('%一般公共预算%', 'general_public_budget'),
    ('%财政拨款%', 'fiscal_appropriation'),
    ('%上级补助%', 'superior_subsidy'),
    ('%附属单位%', 'subordinate_remittance'),
    ('%经营%', 'operating'),
    ('%事业收入%', 'business'),
    ('%其他收入%', 'other'),
]) }}{% endmacro %}

{#-
    The simplified view of a label printed in traditional characters (合計 → 合计, 預算數 →
    预算数), for matching only: labels land as printed (ingest.traditional). The pairs are
    OpenCC's (TSCharacters, with the Taiwan / Hong Kong variants) for every character the
    label rules match on; tests/test_traditional.py checks that none is missing. The models
    compute it once per cell (column_label_view, row_label_view) and pass the view to the
    rules below, which match simplified text only.
-#}
{% macro label_view(label) -%}
    translate(
        {{ label }},
        '佔動員單國執專屬戶撥數業機決減營級結經總補計變財費資轉錶長門閤項預額餘齣調',
        '占动员单国执专属户拨数业机决减营级结经总补计变财费资转表长门合项预额余出调'
    )
{%- endmacro %}

{#- The label measure of a column: 'change' | 'carried_over' | 'personnel' | … | null. -#}
{% macro column_label_measure(column_label) -%}
    case
    {%- for pattern, measure in column_label_measure_rules() %}
        when {{ column_label }} like '{{ pattern }}' then '{{ measure }}'
    {%- endfor %}
    end
{%- endmacro %}

{#- The fund / income source a column's label names, null when none. -#}
{% macro column_label_source(column_label) -%}
    case
    {%- for pattern, source in column_label_source_rules() %}
        when {{ column_label }} like '{{ pattern }}' then '{{ source }}'
    {%- endfor %}
    end
{%- endmacro %}

{#-
    The amount measure of a column: the label measure, with change and carried-over columns
    (never an amount of the year) null. In a table by economic code (the basic-expenditure
    tables) the 基本支出 column is the table's total; in a table by function code personnel /
    public_operating are no measure (they split 基本支出, which is the function measure).
-#}
{% macro amount_measure(column_label, classification) -%}
    {{ amount_measure_of(column_label_measure(column_label), classification) }}
{%- endmacro %}

{#-
    The same from a label measure computed already (column_label_measure): a model reads the
    label rules once per distinct label and this once per cell.
-#}
{% macro amount_measure_of(label_measure, classification) -%}
    case
        when {{ label_measure }} in ('change', 'carried_over') then null
        when {{ classification }} = 'economic'
            and {{ label_measure }} in ('basic', 'total') then 'total'
        when {{ classification }} = 'economic'
            and {{ label_measure }} in ('personnel', 'public_operating')
            then {{ label_measure }}
        when {{ classification }} = 'function'
            and {{ label_measure }} in ('basic', 'project', 'reserve', 'total')
            then {{ label_measure }}
        when {{ classification }} = 'any'
            and {{ label_measure }} not in ('change', 'carried_over')
            then {{ label_measure }}
    end
{%- endmacro %}

{#-
    The classification a table kind is keyed by: 'economic' for the basic-expenditure tables
    by economic code, 'function' for the tables by functional code (ingest.tables
    ECONOMIC_KINDS / FUNCTION_KINDS), 'any' for every other table.
-#}
{% macro economic_table_kinds() %}{{ return([
    'general_budget_basic_expenditure',
    'fiscal_basic_expenditure',
    'operating_funds',
]) }}{% endmacro %}

{% macro function_table_kinds() %}{{ return([
    'general_budget_expenditure',
    'expenditure_summary',
    'government_fund_expenditure',
    'state_capital_expenditure',
    'fiscal_expenditure',
    'income_summary',
]) }}{% endmacro %}

{% macro table_classification(table_kind) -%}
    case
        when {{ table_kind }} in (
            {%- for kind in economic_table_kinds() %}'{{ kind }}'{{ ", " if not loop.last }}{% endfor -%}
        ) then 'economic'
        when {{ table_kind }} in (
            {%- for kind in function_table_kinds() %}'{{ kind }}'{{ ", " if not loop.last }}{% endfor -%}
        ) then 'function'
        else 'any'
    end
{%- endmacro %}

{#-
    The fund source a table's figures are of, from its kind (the expenditure tables): the
    一般公共预算 tables 'general_public_budget', the 部门 totals 'all', the 政府性基金 /
    国有资本经营 tables their fund, the 财政拨款 tables 'fiscal_appropriation'; null for others.
-#}
{% macro table_fund_source(table_kind) -%}
    case {{ table_kind }}
        when 'general_budget_expenditure' then 'general_public_budget'
        when 'general_budget_basic_expenditure' then 'general_public_budget'
        when 'expenditure_summary' then 'all'
        when 'government_fund_expenditure' then 'government_fund'
        when 'state_capital_expenditure' then 'state_capital'
        when 'fiscal_expenditure' then 'fiscal_appropriation'
        when 'fiscal_basic_expenditure' then 'fiscal_appropriation'
    end
{%- endmacro %}

{#-
    The measure of a column, with the rule that needs the whole table: the amount measure of
    its label (amount_measure), else 'total' for a table whose only amount column is headed
    金额 (code, name, 金额: the Jiangsu 一般公共预算支出表 and 基本支出表) — not beside a column
    the rules read as a measure, nor beside a second 金额 column, nor a 上年 column. From
    columns computed already: the cell's amount measure (amount_measure_of), whether its label
    is a 金额 label of the year (``is_sole_amount_label``: like '%金额%' and not like '%上年%'),
    and its table's table_amount_columns (grouped by the table's key columns and joined back).
-#}
{% macro column_measure_of(amount_measure, is_sole_amount_label, measured_cells,
                           first_amount_column, last_amount_column) -%}
    coalesce(
        {{ amount_measure }},
        case
            when
                {{ is_sole_amount_label }}
                and {{ measured_cells }} = 0
                and {{ first_amount_column }} = {{ last_amount_column }}
                then 'total'
        end
    )
{%- endmacro %}

{#-
    A table's aggregates for column_measure_of, in a select grouped by the table's key columns:
    its cells with an amount measure, and its first and last 金额 column (``is_amount_label``:
    like '%金额%').
-#}
{% macro table_amount_columns(amount_measure, is_amount_label, column_number) -%}
    count({{ amount_measure }}) as measured_cells,
    min(case when {{ is_amount_label }} then {{ column_number }} end) as first_amount_column,
    max(case when {{ is_amount_label }} then {{ column_number }} end) as last_amount_column
{%- endmacro %}

{#-
    The period a column is for: 'prior' (a year printed before the document's, or a 上年…
    column without a year: is_prior_year_column, computed already), 'other' (a later year),
    'budget' (a budget column printed in a final-accounts document:
    budget_column_in_final_accounts_of, from budget_label), else 'current'.
-#}
{% macro column_period_of(column_year, is_prior_year_label, is_budget_label, document_fiscal_year,
                          doc_kind) -%}
    case
        when {{ column_year }} is not null and {{ column_year }} < {{ document_fiscal_year }}
            then 'prior'
        when {{ column_year }} is not null and {{ column_year }} > {{ document_fiscal_year }}
            then 'other'
        when {{ column_year }} is null and {{ is_prior_year_label }} then 'prior'
        when {{ budget_column_in_final_accounts_of(is_budget_label, doc_kind) }} then 'budget'
        else 'current'
    end
{%- endmacro %}

{#-
    A budget column printed in a final-accounts document (年初预算数, 调整预算数) is not the
    document's own figure: budget_column_in_final_accounts_of(budget_label(label), doc_kind) is
    true when the column must be left out for that reason; budget_label: a 预算 label that is no
    决算 label.
-#}
{% macro budget_label(column_label) -%}
    ({{ column_label }} like '%预算%' and {{ column_label }} not like '%决算%')
{%- endmacro %}

{% macro budget_column_in_final_accounts_of(is_budget_label, doc_kind) -%}
    ({{ doc_kind }} = 'final_accounts' and {{ is_budget_label }})
{%- endmacro %}

{#-
    A column of the year before the document's without the year printed (上年预算数, 上年决算数,
    上年执行数); 上年结转 / 上年结余 are funds carried into this year and 比上年增减 a change,
    not a prior-year column.
-#}
{% macro is_prior_year_column(column_label) -%}
    (
        {{ column_label }} like '%上年%'
        and {{ column_label }} not like '%比上年%'
        and {{ column_label }} not like '%结转%'
        and {{ column_label }} not like '%结余%'
    )
{%- endmacro %}

{#-
    The fiscal year a column is for: the year printed in its label, else the year before the
    document's for a 上年… column (is_prior_year_column, computed already), else the
    document's own year.
-#}
{% macro column_fiscal_year_of(column_year, is_prior_year_label, document_fiscal_year) -%}
    case
        when {{ column_year }} is not null then {{ column_year }}
        when {{ is_prior_year_label }} then {{ document_fiscal_year }} - 1
        else {{ document_fiscal_year }}
    end
{%- endmacro %}

{#-
    The budget a column of a final-accounts table prints (mart_budget_execution; a rule of its
    own, beside the measure rules above, which leave such columns out of the facts through
    budget_column_in_final_accounts_of): 'initial_budget' for 年初预算(数), 'adjusted_budget'
    for 调整预算(数) / 全年预算(数) / 全年（调整）预算数, null for every other column (a bare
    预算数 is not said to be either, and a 决算 column is the actual).
-#}
{% macro budget_column_kind(column_label) -%}
    case
        when {{ column_label }} like '%决算%' then null
        when {{ column_label }} like '%年初预算%' then 'initial_budget'
        when {{ column_label }} like '%调整预算%' then 'adjusted_budget'
        when {{ column_label }} like '%全年预算%' then 'adjusted_budget'
        when {{ column_label }} like '%全年（调整）预算%' then 'adjusted_budget'
        when {{ column_label }} like '%全年(调整)预算%' then 'adjusted_budget'
    end
{%- endmacro %}

{#-
    The role a budget-execution figure of the prose plays, from its qualifier: 年初预算 →
    'budget', 全年 / 调整预算 → 'adjusted_budget', anything else (the 决算 amount) → 'actual'.
-#}
{% macro narrative_budget_role(qualifier) -%}
    case {{ qualifier }}
        when 'initial_budget' then 'budget'
        when 'adjusted_budget' then 'adjusted_budget'
        else 'actual'
    end
{%- endmacro %}
