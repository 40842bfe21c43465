{#-
    Money conversion. Documents print amounts in 万元 or 元; the warehouse gives every amount
    in both. 万元 → 元 multiplies by 10,000 (exact); 元 → 万元 divides by 10,000 and keeps four
    decimals of 万元 (one 元), never rounding to 2 decimals of 万元. Any other unit ('%', 辆…)
    gives null.
-#}

{% macro amount_to_wan(amount, unit) -%}
    case
        when {{ unit }} = '万元' then cast({{ amount }} as decimal(18, 4))
        when {{ unit }} = '元' then cast({{ amount }} / 10000 as decimal(18, 4))
    end
{%- endmacro %}

{% macro amount_to_yuan(amount, unit) -%}
    case
        when {{ unit }} = '万元' then cast({{ amount }} * 10000 as decimal(20, 2))
        when {{ unit }} = '元' then cast({{ amount }} as decimal(20, 2))
    end
{%- endmacro %}
