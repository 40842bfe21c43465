{#-
    What every document was when this file was last built (int_incremental__changed_documents
    compares the next build with it): the documents landed now and their digests.
-#}

{{ config(materialized='table', enabled=target.type != 'spark') }}

with

changed as (
    select * from {{ ref('int_incremental__changed_documents') }}
),

final as (
    select
        document_id,
        landed_digest,
        identity_digest
    from changed
    where landed_digest is not null or identity_digest is not null
)

select * from final
