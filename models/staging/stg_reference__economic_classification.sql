with

source as (
    select * from {{ seed_relation('economic_classification') }}
),

final as (
    select
        trim(code) as code,
        trim(name) as name,
        {{ to_integer('level') }} as level,
        {{ blank_to_null('parent_code') }} as parent_code,
        scheme,
        source
    from source
)

select * from final
