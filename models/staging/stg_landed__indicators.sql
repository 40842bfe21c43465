with

source as (
    select * from {{ seed_relation('landed_indicators') }}
    {{- without_quarantined() }}
),

final as (
    select
        document_id,
        {{ to_integer('table_id') }} as table_id,
        {{ to_integer('line_number') }} as line_number,
        {{ blank_to_null('project_name') }} as project_name,
        {{ blank_to_null('indicator_level1') }} as indicator_level1,
        {{ blank_to_null('indicator_level2') }} as indicator_level2,
        {{ blank_to_null('indicator_level3') }} as indicator_level3,
        {{ blank_to_null('indicator_name') }} as indicator_name,
        {{ blank_to_null('measure_unit') }} as measure_unit,
        {{ blank_to_null('operator') }} as operator,
        {{ to_decimal('target_value', 20, 4) }} as target_value,
        {{ blank_to_null('target_text') }} as target_text,
        {{ blank_to_null('adjusted_target_text') }} as adjusted_target_text,
        {{ blank_to_null('actual_text') }} as actual_text,
        {{ to_decimal('weight', 20, 4) }} as weight,
        {{ to_decimal('score', 20, 4) }} as score,
        {{ to_boolean('is_core') }} as is_core
    from source
)

select * from final
