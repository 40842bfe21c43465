{#-
    Column label → canonical measure. Labels are the header cells above a column joined with
    ' | ' (e.g. '2025年预算数 | 基本支出', '本年支出合计', '2025年基本支出 | 人员经费').
-#}

{#-
    Functional-code tables: basic / project / total; null for any other column. A column of
    funds carried over (上年结转 / 结转结余) is no measure of the year's expenditure.
-#}
{% macro function_measure(column_label) -%}
    case
        when {{ column_label }} like '%结转%' or {{ column_label }} like '%结余%' then null
        when {{ column_label }} like '%基本支出%' then 'basic'
        when {{ column_label }} like '%项目支出%' then 'project'
        when {{ column_label }} like '%总计%'
            or {{ column_label }} like '%合计%'
            or {{ column_label }} like '%小计%'
            or {{ column_label }} like '%预算数%'
            or {{ column_label }} like '%决算数%'
            then 'total'
    end
{%- endmacro %}

{#- Basic-expenditure table (economic codes): personnel / public_operating / total. -#}
{% macro economic_measure(column_label) -%}
    case
        when {{ column_label }} like '%结转%' or {{ column_label }} like '%结余%' then null
        when {{ column_label }} like '%人员经费%' then 'personnel'
        when {{ column_label }} like '%公用经费%' then 'public_operating'
        when {{ column_label }} like '%总计%'
            or {{ column_label }} like '%合计%'
            or {{ column_label }} like '%小计%'
            or {{ column_label }} like '%基本支出%'
            or {{ column_label }} like '%预算数%'
            or {{ column_label }} like '%决算数%'
            then 'total'
    end
{%- endmacro %}

{#-
    A budget column printed in a final-accounts document (年初预算数, 调整预算数) is not the
    document's own figure: true when the column must be left out for that reason.
-#}
{% macro is_budget_column_in_final_accounts(column_label, doc_kind) -%}
    (
        {{ doc_kind }} = 'final_accounts'
        and {{ column_label }} like '%预算%'
        and {{ column_label }} not like '%决算%'
    )
{%- endmacro %}

{#-
    The fiscal year a column is for: the year printed in its label, else the year before the
    document's for a 上年… column (上年预算数 / 上年决算数), else the document's own year.
-#}
{% macro column_fiscal_year(column_year, column_label, document_fiscal_year) -%}
    case
        when {{ column_year }} is not null then {{ column_year }}
        when {{ column_label }} like '%上年%' then {{ document_fiscal_year }} - 1
        else {{ document_fiscal_year }}
    end
{%- endmacro %}
