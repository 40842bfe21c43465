with

source as (
    select * from {{ seed_relation('chongqing_divisions') }}
),

final as (
    select
        trim(code) as code,
        trim(name) as name,
        trim(short_name) as short_name,
        trim(type) as type,
        trim(parent_code) as parent_code,
        source
    from source
)

select * from final
