with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'coaching_sessions'), ['session_id']) }}
),

renamed as (
    select
        ---------- ids
        session_id,
        coach_id as coach_user_id,
        coachee_id as coachee_user_id,
        ---------- attributes
        topic,
        target_metric,
        ---------- numerics
        duration_minutes,
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
