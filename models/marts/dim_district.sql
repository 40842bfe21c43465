with

divisions as (
    select * from {{ ref('stg_reference__china_county_divisions') }}
),

chongqing as (
    select * from {{ ref('stg_reference__chongqing_divisions') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

document_counts as (
    select
        district_code,
        count(*) as document_count,
        count(distinct unit_id) as unit_count
    from documents
    where district_code is not null
    group by district_code
),

final as (
    select
        divisions.code as district_code,
        divisions.name as district_name,
        chongqing.short_name as district_short_name,
        divisions.city_code,
        divisions.city_name,
        divisions.province_code,
        divisions.province_name,
        coalesce(document_counts.document_count, 0) as document_count,
        coalesce(document_counts.unit_count, 0) as unit_count
    from divisions
    left join chongqing
        on divisions.code = chongqing.code
    left join document_counts
        on divisions.code = document_counts.district_code
)

select * from final
