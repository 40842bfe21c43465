{#-
    Printed 类 names → functional class code. Every official 类 name (functional_classes,
    the level-1 rows of functional_classification) and every known alias, compared in
    normalised form (see the normalise_function_name macro). One row per normalised name: an
    official name wins over an alias; among equals the lowest code wins.
-#}

with

functional_classes as (
    select * from {{ ref('stg_reference__functional_classes') }}
),

functional_classification as (
    select * from {{ ref('stg_reference__functional_classification') }}
),

aliases as (
    select * from {{ ref('stg_reference__function_name_aliases') }}
),

candidates as (
    select
        name_normalised,
        code as function_code,
        name as printed_name,
        'functional_classes' as match_source,
        1 as match_priority
    from functional_classes
    union all
    select
        name_normalised,
        code as function_code,
        name as printed_name,
        'functional_classification' as match_source,
        2 as match_priority
    from functional_classification
    where level = 1
    union all
    select
        alias_normalised as name_normalised,
        code as function_code,
        alias as printed_name,
        'alias' as match_source,
        3 as match_priority
    from aliases
),

ranked as (
    select
        *,
        row_number() over (
            partition by name_normalised
            order by match_priority, function_code
        ) as name_rank
    from candidates
    where
        name_normalised is not null
        and name_normalised != ''
        and function_code is not null
),

final as (
    select
        name_normalised,
        function_code,
        printed_name,
        match_source
    from ranked
    where name_rank = 1
)

select * from final
