-- The live latest version of every user: base_crm__users holds every delivered version,
-- already renamed.
with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(ref('base_crm__users'), ['user_id']) }}
),

final as (
    select
        user_id,
        team_id,
        manager_user_id,
        full_name,
        email_hash,
        role,
        hire_date,
        termination_date,
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from final
