with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(source('crm', 'comp_plans'), ['plan_id']) }}
),

renamed as (
    select
        ---------- ids
        plan_id,
        ---------- attributes
        plan_name,
        role,
        period_grain,
        currency,
        ---------- numerics (pay is per plan period)
        base_salary,
        target_variable,
        commission_rate,
        cap_amount,
        per_accepted_handoff,
        sourced_won_rate,
        expansion_rate,
        renewal_rate,
        manager_override_rate,
        clawback_days,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra
    from latest
)

select * from renamed
