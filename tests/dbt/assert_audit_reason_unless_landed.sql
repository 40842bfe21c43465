-- audit_ingest: a file that did not land cleanly says why, in a sentence the user can act
-- on; a rejected file has no document. Fails with the files that break this.
with

audit as (
    select * from {{ ref('audit_ingest') }}
),

final as (
    select
        source_file,
        status,
        reason,
        document_id
    from audit
    where
        (status != 'landed' and (reason is null or trim(reason) = ''))
        or (status = 'rejected' and document_id is not null)
        or (status != 'rejected' and document_id is null)
)

select * from final
