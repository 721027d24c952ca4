{%- set versions = source('crm', 'opportunity_stage_history') %}

with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(versions, ['opportunity_id', 'entered_at']) }}
),

renamed as (
    select
        ---------- ids
        opportunity_id,
        ---------- attributes
        stage,
        ---------- dates and timestamps
        entered_at,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
