-- Every delivered version of every opportunity, renamed as staging names it: what
-- stg_crm__opportunities picks the latest version from and int_opportunities__versioned
-- keeps the history of (pipeline as it stood on past dates). A view.
with versions as (select * from {{ source('crm', 'opportunities') }})

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
    forecast_category,
    ---------- numerics
    amount,
    probability,
    ---------- dates and timestamps
    created_at,
    close_date,
    ---------- flags
    is_closed,
    is_won,
    ---------- version and lineage: which delivery this version came from
    updated_at,
    is_deleted,
    _batch_id,
    _source_file,
    _row_number,
    _loaded_at,
    _extra
from versions
