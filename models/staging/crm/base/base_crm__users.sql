-- Every delivered version of every user, renamed as staging names it and with the e-mail
-- hashed: what stg_crm__users picks the latest version from and int_users__versioned
-- keeps the history of. A view: it costs nothing until read.
with versions as (select * from {{ source('crm', 'users') }})

select
    ---------- ids
    user_id,
    team_id,
    manager_id as manager_user_id,
    ---------- attributes
    full_name,
    -- personal data leaves staging only as a salted hash (macros/hash_pii.sql)
    {{ hash_pii('email') }} as email_hash,
    role,
    ---------- dates and timestamps
    hire_date,
    termination_date,
    ---------- version and lineage: which delivery this version came from
    updated_at,
    is_deleted,
    _batch_id,
    _source_file,
    _row_number,
    _loaded_at,
    _extra
from versions
