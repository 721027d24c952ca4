-- The live latest version of every account: base_crm__accounts holds every delivered version,
-- already renamed.
with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(ref('base_crm__accounts'), ['account_id']) }}
),

final as (
    select
        account_id,
        owner_user_id,
        account_name,
        industry,
        country,
        employee_count,
        created_at,
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from final
