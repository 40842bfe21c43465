-- Every code table whose rows nest (a 类 with its 款, a 款 with its 项, or 类 rows under a 合计
-- row) must be checked in audit_reconciliation: a reconciliation that silently skips a table
-- would look like a clean document. Fails with the tables that have no children_sum check.
-- Each failing row is one document's table: an incremental build tests the documents it
-- computed again (changed_documents_only, macros/incremental.sql).
with

cells as (
    select * from {{ ref('int_tables__money_cells') }}
    {{ changed_documents_only() }}
),

checks as (
    select * from {{ ref('audit_reconciliation') }}
    {{ changed_documents_only() }}
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

-- the parent keys each child row nests under: 'total' for a 类 (3 digits), its 类 for a 款 or
-- 项, its 款 for a 项 (code_level is the code's length: 3, 5, 7 digits); equality joins
-- instead of `like` over every pair of a table's rows
child_keys as (
    select
        document_id,
        table_id,
        'total' as parent_key
    from children
    where {{ dbt.length('code') }} = 3
    union all
    select
        document_id,
        table_id,
        substr(code, 1, 3) as parent_key
    from children
    where {{ dbt.length('code') }} > 3
    union all
    select
        document_id,
        table_id,
        substr(code, 1, 5) as parent_key
    from children
    where {{ dbt.length('code') }} > 5
),

nesting_tables as (
    select distinct
        parents.document_id,
        parents.table_id
    from parents
    inner join child_keys
        on
            parents.document_id = child_keys.document_id
            and parents.table_id = child_keys.table_id
            and parents.parent_key = child_keys.parent_key
),

-- the table of a children_sum check: its key holds '@table<table_id>:' once (the check's SQL,
-- int_reconciliation__children_sum, builds it so); an equality join on it, not a `like` per
-- pair of rows (which took 8 s of a 10,000-document build)
checked_tables as (
    select distinct
        document_id,
        regexp_extract(check_key, '@table([^:]*):', 1) as table_key
    from checks
    where check_family = 'children_sum'
),

final as (
    select nesting_tables.*
    from nesting_tables
    left join checked_tables
        on
            nesting_tables.document_id = checked_tables.document_id
            and {{ dbt.safe_cast('nesting_tables.table_id', dbt.type_string()) }}
            = checked_tables.table_key
    where checked_tables.document_id is null
)

select * from final
