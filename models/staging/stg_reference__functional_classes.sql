with

source as (
    select * from {{ seed_relation('functional_classes') }}
),

final as (
    select
        trim(code) as code,
        trim(name) as name,
        {{ to_integer('first_year') }} as first_year,
        {{ to_integer('last_year') }} as last_year,
        source,
        {{ normalise_function_name('name') }} as name_normalised
    from source
)

select * from final
