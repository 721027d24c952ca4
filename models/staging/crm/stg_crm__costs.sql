with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'costs'), ['cost_id']) }}
),

renamed as (
    select
        ---------- ids
        cost_id,
        ---------- attributes
        category,
        currency,
        ---------- numerics
        amount,
        ---------- dates and timestamps
        month,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
