-- In mart_district_function_comparison the shares of one district (year × kind) add up to 1
-- (within the rounding of DECIMAL(9,6) over up to ~30 classes). Fails with the districts whose
-- shares do not.
with

comparison as (
    select * from {{ ref('mart_district_function_comparison') }}
),

final as (
    select
        fiscal_year,
        doc_kind,
        district_code,
        sum(share_of_district_total) as share_sum
    from comparison
    where district_total_wan != 0
    group by fiscal_year, doc_kind, district_code
    having abs(sum(share_of_district_total) - 1) > 0.0001
)

select * from final
