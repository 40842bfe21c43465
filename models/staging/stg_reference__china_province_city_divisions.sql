with

source as (
    select * from {{ seed_relation('china_province_city_divisions') }}
),

final as (
    select
        trim(division_code) as division_code,
        trim(division_name) as division_name,
        trim(division_level) as division_level,
        trim(province_code) as province_code,
        trim(province_name) as province_name
    from source
)

select * from final
