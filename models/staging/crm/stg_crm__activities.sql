-- The live latest version of every activity: base_crm__activities holds every delivered version,
-- already renamed.
with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(ref('base_crm__activities'), ['activity_id']) }}
),

final as (
    select
        activity_id,
        owner_user_id,
        lead_id,
        opportunity_id,
        account_id,
        activity_type,
        outcome,
        duration_seconds,
        occurred_at,
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from final
