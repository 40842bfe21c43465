{#-
    Every economic code known to the warehouse: the reference list plus every code printed in a
    landed basic-expenditure table. Level and class follow from the digits; the name is the
    reference name, else the name documents print most often (ties → first alphabetically).
-#}

with

economic_classification as (
    select * from {{ ref('stg_reference__economic_classification') }}
),

cells as (
    select * from {{ ref('stg_landed__table_cells') }}
),

tables as (
    select * from {{ ref('stg_landed__tables') }}
),

printed as (
    select
        cells.code,
        cells.row_label as name,
        count(*) as times_printed
    from cells
    inner join tables
        on
            cells.document_id = tables.document_id
            and cells.table_id = tables.table_id
    where
        tables.table_kind = 'general_budget_basic_expenditure'
        and not cells.is_repeat
        and cells.code is not null
        and {{ full_match('cells.code', '[0-9]{3}([0-9]{2})?') }}
    group by cells.code, cells.row_label
),

printed_ranked as (
    select
        code,
        name,
        row_number() over (
            partition by code
            order by
                case when name is null then 1 else 0 end asc,
                times_printed desc,
                name asc
        ) as name_rank
    from printed
),

all_codes as (
    select code from economic_classification
    union
    select code from printed
),

named as (
    select
        all_codes.code as economic_code,
        coalesce(economic_classification.name, printed_ranked.name) as economic_name,
        economic_classification.scheme,
        case
            when economic_classification.name is not null then 'reference'
            when printed_ranked.name is not null then 'document'
        end as name_source,
        case {{ dbt.length('all_codes.code') }}
            when 3 then 1
            when 5 then 2
        end as economic_level,
        substr(all_codes.code, 1, 3) as class_code
    from all_codes
    left join economic_classification
        on all_codes.code = economic_classification.code
    left join printed_ranked
        on
            all_codes.code = printed_ranked.code
            and printed_ranked.name_rank = 1
),

final as (
    select
        named.economic_code,
        named.economic_name,
        named.economic_level,
        named.class_code,
        classes.economic_name as class_name,
        coalesce(
            named.scheme,
            classes.scheme,
            case
                when named.economic_code like '3%' then 'department'
                when named.economic_code like '5%' then 'government'
            end
        ) as scheme,
        named.name_source
    from named
    left join named as classes
        on named.class_code = classes.economic_code
)

select * from final
