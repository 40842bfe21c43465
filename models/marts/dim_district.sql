{#-
    The division dimension (the name dim_district is kept): every province, prefecture-level
    city and county-level division a budget unit can belong to, with its level. A unit's
    documents count for the division its own name states (江苏省高级人民法院 → 320000).
-#}

with

divisions as (
    select * from {{ ref('int_divisions__all_levels') }}
),

documents as (
    select * from {{ ref('int_documents__identified') }}
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
        divisions.division_code as district_code,
        divisions.division_name as district_name,
        divisions.division_level,
        divisions.short_name as district_short_name,
        divisions.city_code,
        divisions.city_name,
        divisions.province_code,
        divisions.province_name,
        coalesce(document_counts.document_count, 0) as document_count,
        coalesce(document_counts.unit_count, 0) as unit_count
    from divisions
    left join document_counts
        on divisions.division_code = document_counts.district_code
)

select * from final
