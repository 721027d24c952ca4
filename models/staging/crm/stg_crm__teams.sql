with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'teams'), ['team_id']) }}
),

renamed as (
    select
        ---------- ids
        team_id,
        manager_id as manager_user_id,
        ---------- attributes
        team_name,
        region,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
