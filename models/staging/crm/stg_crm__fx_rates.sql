with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'fx_rates'), ['currency', 'rate_date']) }}
),

renamed as (
    select
        ---------- attributes
        currency,
        ---------- numerics
        rate_to_reporting,
        ---------- dates and timestamps
        rate_date,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
