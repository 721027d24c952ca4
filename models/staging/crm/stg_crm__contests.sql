with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'contests'), ['contest_id']) }}
),

renamed as (
    select
        ---------- ids
        contest_id,
        ---------- attributes
        contest_name,
        metric,
        scope,
        scope_value,
        ---------- dates and timestamps
        start_date,
        end_date,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
