with source as (
    select * from {{ source('crm', 'opportunities') }}
),

latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version('source', ['opportunity_id']) }}
),

renamed as (
    select
        ---------- ids
        opportunity_id,
        account_id,
        owner_id as owner_user_id,
        lead_id,
        handoff_id,
        ---------- attributes
        opportunity_type,
        stage,
        currency,
        loss_reason,
        ---------- numerics
        amount,
        ---------- dates and timestamps
        created_at,
        close_date,
        ---------- flags
        is_closed,
        is_won,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
