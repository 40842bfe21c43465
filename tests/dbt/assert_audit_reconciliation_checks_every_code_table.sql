-- Every code table whose rows nest (a 类 with its 款, a 款 with its 项, or 类 rows under a 合计
-- row) must be checked in audit_reconciliation: a reconciliation that silently skips a table
-- would look like a clean document. Fails with the tables that have no children_sum check.
with

cells as (
    select * from {{ ref('int_tables__money_cells') }}
),

checks as (
    select * from {{ ref('audit_reconciliation') }}
),

parents as (
    select distinct
        document_id,
        table_id,
        case when is_total_row then 'total' else code end as parent_key
    from cells
    where is_total_row or code_level in (1, 2)
),

children as (
    select distinct
        document_id,
        table_id,
        code
    from cells
    where code_level is not null
),

nesting_tables as (
    select distinct
        parents.document_id,
        parents.table_id
    from parents
    inner join children
        on
            parents.document_id = children.document_id
            and parents.table_id = children.table_id
            and (
                (parents.parent_key = 'total' and {{ dbt.length('children.code') }} = 3)
                or (
                    parents.parent_key != 'total'
                    and parents.parent_key != children.code
                    and children.code like parents.parent_key || '%'
                )
            )
),

checked_tables as (
    select distinct
        document_id,
        check_key
    from checks
    where check_family = 'children_sum'
),

final as (
    select nesting_tables.*
    from nesting_tables
    where not exists (
        select 1
        from checked_tables
        where
            checked_tables.document_id = nesting_tables.document_id
            and checked_tables.check_key like (
                '%@table'
                || {{ dbt.safe_cast('nesting_tables.table_id', dbt.type_string()) }}
                || ':%'
            )
    )
)

select * from final
