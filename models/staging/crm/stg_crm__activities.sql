with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'activities'), ['activity_id']) }}
),

renamed as (
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
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
