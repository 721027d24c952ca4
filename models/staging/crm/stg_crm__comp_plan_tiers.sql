with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'comp_plan_tiers'), ['plan_id', 'from_attainment']) }}
),

renamed as (
    select
        ---------- ids
        plan_id,
        ---------- numerics
        from_attainment,
        rate_multiplier,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
