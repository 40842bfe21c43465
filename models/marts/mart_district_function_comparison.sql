{#-
    Expenditure by 类 compared across districts: for each fiscal year, kind of document and
    district, the sum over the district's units of the class-level (function_level 1) total,
    the document's own year only (no comparative columns), superseded publications left out.
    Per document one fund source is used: 'all' when the document has it, else
    'general_public_budget'. Documents whose district is unresolved are left out. A district is
    a division at one level (a county, a city or a province, division_level): a province's own
    units are compared as the province, never summed into a county.
-#}

with

facts as (
    select * from {{ ref('fct_expenditure_by_function') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

function_codes as (
    select * from {{ ref('dim_function_code') }}
),

class_facts as (
    select facts.*
    from facts
    inner join documents
        on facts.document_id = documents.document_id
    where
        facts.function_level = 1
        and facts.measure = 'total'
        and not facts.is_comparative
        and not documents.is_superseded
        and facts.district_code is not null
        and facts.fund_source in ('all', 'general_public_budget')
),

document_fund_source as (
    select
        document_id,
        min(case fund_source when 'all' then 0 else 1 end) as fund_preference
    from class_facts
    group by document_id
),

chosen as (
    select class_facts.*
    from class_facts
    inner join document_fund_source
        on class_facts.document_id = document_fund_source.document_id
    where
        case class_facts.fund_source when 'all' then 0 else 1 end
        = document_fund_source.fund_preference
),

by_district as (
    select
        fiscal_year,
        doc_kind,
        district_code,
        division_level,
        max(district_name) as district_name,
        function_code as class_code,
        sum(amount_wan) as amount_wan,
        sum(amount_yuan) as amount_yuan,
        count(distinct unit_id) as unit_count,
        count(distinct document_id) as document_count
    from chosen
    group by fiscal_year, doc_kind, district_code, division_level, function_code
),

with_totals as (
    select
        *,
        sum(amount_wan) over (
            partition by fiscal_year, doc_kind, district_code
        ) as district_total_wan
    from by_district
),

final as (
    select
        with_totals.fiscal_year,
        with_totals.doc_kind,
        with_totals.district_code,
        with_totals.district_name,
        with_totals.division_level,
        with_totals.class_code,
        function_codes.function_name as class_name,
        cast(with_totals.amount_wan as decimal(18, 4)) as amount_wan,
        cast(with_totals.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(with_totals.district_total_wan as decimal(18, 4)) as district_total_wan,
        cast(
            case
                when with_totals.district_total_wan != 0
                    then with_totals.amount_wan / with_totals.district_total_wan
            end as decimal(9, 6)
        ) as share_of_district_total,
        with_totals.unit_count,
        with_totals.document_count
    from with_totals
    left join function_codes
        on with_totals.class_code = function_codes.function_code
)

select * from final
