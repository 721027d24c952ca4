with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'accounts'), ['account_id']) }}
),

renamed as (
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
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
