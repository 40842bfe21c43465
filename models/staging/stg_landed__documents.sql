with

source as (
    select * from {{ seed_relation('landed_documents') }}
),

final as (
    select
        document_id,
        source_file,
        sha256,
        content_sha256,
        {{ blank_to_null('encoding') }} as encoding,
        {{ blank_to_null('title') }} as title,
        {{ to_integer('title_line') }} as title_line,
        {{ blank_to_null('identified_by') }} as identified_by,
        unit_name,
        {{ blank_to_null('unit_code') }} as unit_code,
        {{ blank_to_null('parent_unit_name') }} as parent_unit_name,
        {{ blank_to_null('district_code') }} as district_code,
        {{ blank_to_null('district_name') }} as district_name,
        {{ blank_to_null('division_level') }} as division_level,
        {{ to_integer('fiscal_year') }} as fiscal_year,
        doc_kind,
        scope,
        {{ dbt.safe_cast(blank_to_null('published_date'), 'date') }} as published_date,
        {{ blank_to_null('supersedes') }} as supersedes,
        coalesce({{ to_boolean('is_superseded') }}, false) as is_superseded,
        parser_version,
        {{ to_integer('line_count') }} as line_count,
        {{ to_integer('table_count') }} as table_count,
        {{ to_integer('rows_landed') }} as rows_landed,
        {{ to_integer('unparsed_lines') }} as unparsed_lines,
        match_name
    from source
)

select * from final
