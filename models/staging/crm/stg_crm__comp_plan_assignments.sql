with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'comp_plan_assignments'), ['assignment_id']) }}
),

renamed as (
    select
        ---------- ids
        assignment_id,
        user_id,
        plan_id,
        ---------- dates (both included)
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
