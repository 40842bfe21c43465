{#-
    Which budget unit every published document is of (unit_id): the identity rule of dim_unit.
    1. The division: the same name in two divisions is two units (district_code, '' when
       unresolved, is part of every key).
    2. A printed unit code (单位代码 / 单位编码, landed as unit_code) takes precedence: documents
       of one division printing the same code are one unit whatever their names; two codes are
       two units even under one name.
    3. Without a printed code: the match name (ingest/unit_names.py: brackets, (本级), whitespace,
       full/half-width and character forms normalised). A document without a code joins the
       coded unit of its match name when exactly one code is printed for that name in its
       division; with two or more codes it cannot be placed for sure and stays a unit of its
       name (identity_rule 'name_ambiguous_code').
-#}

with

documents as (
    select * from {{ ref('stg_landed__documents') }}
    {{- without_quarantined() }}
),

keyed as (
    select
        document_id,
        coalesce(district_code, '') as district_key,
        coalesce(match_name, unit_name) as match_name,
        unit_code
    from documents
),

codes_of_name as (
    select
        district_key,
        match_name,
        count(distinct unit_code) as code_count,
        min(unit_code) as only_code
    from keyed
    where unit_code is not null
    group by district_key, match_name
),

ruled as (
    select
        keyed.document_id,
        keyed.district_key,
        keyed.match_name,
        keyed.unit_code,
        case
            when keyed.unit_code is not null then 'printed_code'
            when codes_of_name.code_count = 1 then 'name_of_coded_unit'
            when codes_of_name.code_count > 1 then 'name_ambiguous_code'
            else 'name'
        end as identity_rule,
        case
            when keyed.unit_code is not null
                then 'code|' || keyed.district_key || '|' || keyed.unit_code
            when codes_of_name.code_count = 1
                then 'code|' || keyed.district_key || '|' || codes_of_name.only_code
            else 'name|' || keyed.district_key || '|' || keyed.match_name
        end as unit_key
    from keyed
    left join codes_of_name
        on
            keyed.district_key = codes_of_name.district_key
            and keyed.match_name = codes_of_name.match_name
),

final as (
    select
        document_id,
        {{ dbt.hash('unit_key') }} as unit_id,
        unit_key,
        identity_rule,
        match_name
    from ruled
)

select * from final
