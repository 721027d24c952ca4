with source as (
    select * from {{ source('crm', 'leads') }}
),

latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version('source', ['lead_id']) }}
),

renamed as (
    select
        ---------- ids
        lead_id,
        owner_id as owner_user_id,
        account_id,
        ---------- attributes
        source,
        company_name,
        email,
        phone,
        industry,
        status,
        ---------- numerics
        employee_count,
        ---------- dates and timestamps
        created_at,
        ---------- flags
        budget_confirmed,
        authority_confirmed,
        need_confirmed,
        timing_confirmed,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
