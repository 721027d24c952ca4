-- Every delivered version of every account, renamed as staging names it: what
-- stg_crm__accounts picks the latest version from and int_accounts__versioned keeps the
-- history of. A view: it costs nothing until read.
with versions as (select * from {{ source('crm', 'accounts') }})

select
    ---------- ids
    account_id,
    owner_id as owner_user_id,
    ---------- attributes
    account_name,
    industry,
    country,
    ---------- numerics
    employee_count,
    ---------- dates and timestamps
    created_at,
    ---------- version and lineage: which delivery this version came from
    updated_at,
    is_deleted,
    _batch_id,
    _source_file,
    _row_number,
    _loaded_at,
    _extra
from versions
