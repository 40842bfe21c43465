{#-
    Every division a budget unit can belong to, at its level: the provinces (320000 江苏省,
    310000 上海市), the prefecture-level cities (320100 南京市) and the county-level divisions
    (500101 万州区); a city without counties (东莞市) is one city row. The municipalities' 市辖区 / 县 and the 省直辖县级行政区划 groupings are not
    divisions a unit belongs to and are left out.
-#}

with

counties as (
    select * from {{ ref('stg_reference__china_county_divisions') }}
),

upper_levels as (
    select * from {{ ref('stg_reference__china_province_city_divisions') }}
),

chongqing as (
    select * from {{ ref('stg_reference__chongqing_divisions') }}
),

provinces as (
    select
        division_code,
        division_name,
        'province' as division_level,
        cast(null as {{ dbt.type_string() }}) as short_name,
        cast(null as {{ dbt.type_string() }}) as city_code,
        cast(null as {{ dbt.type_string() }}) as city_name,
        province_code,
        province_name
    from upper_levels
    where division_level = 'province'
),

cities as (
    select
        division_code,
        division_name,
        'city' as division_level,
        cast(null as {{ dbt.type_string() }}) as short_name,
        substr(division_code, 1, 4) as city_code,
        division_name as city_name,
        province_code,
        province_name
    from upper_levels
    where
        division_level = 'city'
        and division_name not in ('市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划')
),

county_rows as (
    select
        counties.code as division_code,
        counties.name as division_name,
        'county' as division_level,
        chongqing.short_name,
        counties.city_code,
        counties.city_name,
        counties.province_code,
        counties.province_name
    from counties
    left join chongqing
        on counties.code = chongqing.code
    -- 东莞市, 中山市, 儋州市 are prefecture-level cities without counties: one row, the city's
    where counties.code not in (select cities.division_code from cities)
),

final as (
    select * from provinces
    union all
    select * from cities
    union all
    select * from county_rows
)

select * from final
