-- One row per live account, as it stands now.
with accounts as (select * from {{ ref('stg_crm__accounts') }})

select
    account_id,
    account_name,
    industry,
    employee_count,
    country,
    owner_user_id as current_owner_user_id,
    created_at
from accounts
