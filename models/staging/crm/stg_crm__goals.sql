with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'goals'), ['goal_id']) }}
),

renamed as (
    select
        ---------- ids
        goal_id,
        scope_id,
        ---------- attributes
        scope,
        metric,
        grain,
        ---------- numerics
        target,
        ---------- dates and timestamps
        period_start,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
