with

source as (
    select * from {{ seed_relation('china_county_divisions') }}
),

final as (
    select
        trim(code) as code,
        trim(name) as name,
        trim(city_code) as city_code,
        trim(city_name) as city_name,
        trim(province_code) as province_code,
        trim(province_name) as province_name
    from source
)

select * from final
