{#-
    Every economic code known to the warehouse: the reference list plus every code printed in a
    landed basic-expenditure table. Level and class follow from the digits; the name is the
    reference name, else the name documents print most often (ties → first alphabetically).
-#}

with

economic_classification as (
    select * from {{ ref('stg_reference__economic_classification') }}
),

printed_names as (
    select * from {{ ref('int_codes__printed_names') }}
    where classification = 'economic'
),

all_codes as (
    select code from economic_classification
    union
    select code from printed_names
),

named as (
    select
        all_codes.code as economic_code,
        coalesce(economic_classification.name, printed_names.name) as economic_name,
        economic_classification.scheme,
        case
            when economic_classification.name is not null then 'reference'
            when printed_names.name is not null then 'document'
        end as name_source,
        case {{ dbt.length('all_codes.code') }}
            when 3 then 1
            when 5 then 2
        end as economic_level,
        substr(all_codes.code, 1, 3) as class_code
    from all_codes
    left join economic_classification
        on all_codes.code = economic_classification.code
    left join printed_names
        on all_codes.code = printed_names.code
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
