-- Every delivered version of every lead, renamed as staging names it and with e-mail and
-- phone hashed: what stg_crm__leads picks the latest version from and int_leads__versioned
-- keeps the history of. A view: it costs nothing until read.
with versions as (select * from {{ source('crm', 'leads') }})

select
    ---------- ids
    lead_id,
    owner_id as owner_user_id,
    account_id,
    ---------- attributes
    source,
    company_name,
    -- personal data leaves staging only as salted hashes (macros/hash_pii.sql)
    {{ hash_pii('email') }} as email_hash,
    {{ hash_pii('phone') }} as phone_hash,
    industry,
    status,
    ---------- numerics
    employee_count,
    ---------- dates and timestamps
    created_at,
    ---------- flags
    budget_confirmed,
    authority_confirmed,
    need_confirmed,
    timing_confirmed,
    ---------- version and lineage: which delivery this version came from
    updated_at,
    is_deleted,
    _batch_id,
    _source_file,
    _row_number,
    _loaded_at,
    _extra
from versions
