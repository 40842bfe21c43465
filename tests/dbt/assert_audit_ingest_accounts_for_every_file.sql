-- audit_ingest accounts for every input file: one row per file ingest listed (landed_files),
-- each with exactly one of the five statuses, so landed + partial + duplicate + rejected +
-- quarantined = files. Fails with one row saying what does not add up.
with

files as (
    select * from {{ ref('stg_landed__files') }}
),

audit as (
    select * from {{ ref('audit_ingest') }}
),

counted as (
    select
        (select count(*) from files) as files,
        count(*) as audited,
        sum(case when status = 'landed' then 1 else 0 end) as landed,
        sum(case when status = 'partial' then 1 else 0 end) as partial,
        sum(case when status = 'duplicate' then 1 else 0 end) as duplicate,
        sum(case when status = 'rejected' then 1 else 0 end) as rejected,
        sum(case when status = 'quarantined' then 1 else 0 end) as quarantined
    from audit
),

final as (
    select *
    from counted
    where
        audited != files
        or coalesce(landed + partial + duplicate + rejected + quarantined, 0) != files
)

select * from final
