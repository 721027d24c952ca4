with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'users'), ['user_id']) }}
),

renamed as (
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
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
