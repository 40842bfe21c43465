with

source as (
    select * from {{ seed_relation('function_name_aliases') }}
),

final as (
    select
        trim(alias) as alias,
        trim(code) as code,
        note,
        {{ normalise_function_name('alias') }} as alias_normalised
    from source
)

select * from final
