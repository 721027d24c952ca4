with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'forecast_submissions'), ['submission_id']) }}
),

renamed as (
    select
        ---------- ids
        submission_id,
        user_id as submitter_user_id,
        ---------- attributes
        grain,
        category,
        currency,
        ---------- numerics
        amount,
        ---------- dates and timestamps
        period_start,
        submitted_at,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
