with source as (
    select * from {{ source('crm', 'lead_handoffs') }}
),

latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version('source', ['handoff_id']) }}
),

renamed as (
    select
        ---------- ids
        handoff_id,
        lead_id,
        sdr_id as sdr_user_id,
        ae_id as ae_user_id,
        opportunity_id,
        ---------- attributes
        decision,
        rejection_reason,
        feedback,
        ---------- dates and timestamps
        sent_at,
        decided_at,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
