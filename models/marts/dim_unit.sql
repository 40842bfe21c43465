{#-
    One budget unit across documents and years (unit_id, the rule of int_documents__unit_identity): same
    division; a printed unit code first; else the name compared after normalisation (brackets,
    (本级), whitespace, full/half-width and character forms). Its name, code and parent unit
    come from the unit's latest document that states them.
-#}

with

documents as (
    select * from {{ ref('int_documents__identified') }}
),

latest_first as (
    select
        *,
        row_number() over (
            partition by unit_id
            order by fiscal_year desc, doc_kind asc, document_id asc
        ) as recency_rank
    from documents
),

stated as (
    select
        unit_id,
        max(case when unit_code_rank = 1 then unit_code end) as unit_code,
        max(case when parent_rank = 1 then parent_unit_name end) as parent_unit_name
    from (
        select
            unit_id,
            unit_code,
            parent_unit_name,
            row_number() over (
                partition by unit_id
                order by case when unit_code is null then 1 else 0 end, recency_rank
            ) as unit_code_rank,
            row_number() over (
                partition by unit_id
                order by case when parent_unit_name is null then 1 else 0 end, recency_rank
            ) as parent_rank
        from latest_first
    ) as ranked
    group by unit_id
),

-- every name printed for the unit, once (dbt.listagg has no distinct: Spark and DuckDB alike)
printed as (
    select
        unit_id,
        {{ dbt.listagg('unit_name', "' | '", 'order by unit_name') }} as printed_names
    from (
        select distinct
            unit_id,
            unit_name
        from documents
    ) as names
    group by unit_id
),

span as (
    select
        documents.unit_id,
        min(documents.fiscal_year) as first_fiscal_year,
        max(documents.fiscal_year) as last_fiscal_year,
        count(*) as document_count,
        count(distinct documents.unit_name) as printed_name_count,
        min(printed.printed_names) as printed_names,
        max(case when documents.identity_rule = 'printed_code' then 1 else 0 end) = 1
            as is_identified_by_code
    from documents
    inner join printed
        on documents.unit_id = printed.unit_id
    group by documents.unit_id
),

latest as (
    select * from latest_first
    where recency_rank = 1
),

final as (
    select
        latest.unit_id,
        latest.unit_name,
        latest.match_name,
        {{ unit_short_name('latest.unit_name', 'latest.province_name', 'latest.district_name') }}
            as unit_short_name,
        latest.district_code,
        latest.district_name,
        stated.unit_code,
        stated.parent_unit_name,
        span.first_fiscal_year,
        span.last_fiscal_year,
        span.document_count,
        span.printed_name_count,
        span.printed_names,
        case when span.is_identified_by_code then 'unit_code' else 'name' end as identity_rule
    from latest
    inner join stated
        on latest.unit_id = stated.unit_id
    inner join span
        on latest.unit_id = span.unit_id
)

select * from final
