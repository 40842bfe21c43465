-- Warns (does not fail) when a 类 name printed in the narrative resolves to no functional
-- class: such a figure cannot become a narrative fact in fct_expenditure_by_function (for a
-- document without code tables) until the name is added to the reference lists
-- (seeds/reference/functional_classes.csv or function_name_aliases.csv).
{{ config(severity='warn') }}

with

prose_figures as (
    select * from {{ ref('stg_landed__prose_figures') }}
),

function_names as (
    select * from {{ ref('int_expenditure__function_names') }}
),

final as (
    select
        prose_figures.document_id,
        prose_figures.line_number,
        prose_figures.subject,
        prose_figures.amount_wan
    from prose_figures
    left join function_names
        on {{ normalise_function_name('prose_figures.subject') }} = function_names.name_normalised
    where
        prose_figures.figure_key = 'class_expenditure'
        and prose_figures.qualifier = 'amount'
        and function_names.function_code is null
)

select * from final
