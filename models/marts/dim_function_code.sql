{#-
    Every functional code known to the warehouse: the reference lists plus every code printed in
    a landed functional-code table (the lists are partial, SOURCES.md). Level and parents follow
    from the digits; the name is the reference name, else the name documents print most often
    (ties → first alphabetically).
-#}

with

functional_classification as (
    select * from {{ ref('stg_reference__functional_classification') }}
),

functional_classes as (
    select * from {{ ref('stg_reference__functional_classes') }}
),

printed_names as (
    select * from {{ ref('int_codes__printed_names') }}
    where classification = 'functional'
),

reference_names as (
    select
        code,
        name,
        1 as reference_rank
    from functional_classification
    union all
    select
        code,
        name,
        2 as reference_rank
    from functional_classes
),

reference_ranked as (
    select
        code,
        name,
        row_number() over (partition by code order by reference_rank, name) as name_rank
    from reference_names
    where name is not null
),

all_codes as (
    select code from reference_names
    union
    select code from printed_names
),

named as (
    select
        all_codes.code as function_code,
        coalesce(reference_ranked.name, printed_names.name) as function_name,
        case
            when reference_ranked.name is not null then 'reference'
            when printed_names.name is not null then 'document'
        end as name_source
    from all_codes
    left join reference_ranked
        on
            all_codes.code = reference_ranked.code
            and reference_ranked.name_rank = 1
    left join printed_names
        on all_codes.code = printed_names.code
),

with_levels as (
    select
        function_code,
        function_name,
        name_source,
        case {{ dbt.length('function_code') }}
            when 3 then 1
            when 5 then 2
            when 7 then 3
        end as function_level,
        substr(function_code, 1, 3) as class_code,
        case
            when {{ dbt.length('function_code') }} >= 5 then substr(function_code, 1, 5)
        end as section_code
    from named
),

final as (
    select
        with_levels.function_code,
        with_levels.function_name,
        with_levels.function_level,
        with_levels.class_code,
        classes.function_name as class_name,
        with_levels.section_code,
        sections.function_name as section_name,
        with_levels.name_source
    from with_levels
    left join with_levels as classes
        on with_levels.class_code = classes.function_code
    left join with_levels as sections
        on with_levels.section_code = sections.function_code
)

select * from final
