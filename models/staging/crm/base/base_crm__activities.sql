-- Every delivered version of every activity, renamed as staging names it: what
-- stg_crm__activities picks the latest version from, and what incremental models re-read
-- for the records that changed since their last build. A view: it costs nothing until read.
with versions as (select * from {{ source('crm', 'activities') }})

select
    ---------- ids
    activity_id,
    owner_id as owner_user_id,
    lead_id,
    opportunity_id,
    account_id,
    ---------- attributes
    activity_type,
    outcome,
    ---------- numerics
    duration_seconds,
    ---------- dates and timestamps
    occurred_at,
    ---------- version and lineage: which delivery this version came from
    updated_at,
    is_deleted,
    _batch_id,
    _source_file,
    _row_number,
    _loaded_at,
    _extra
from versions
