-- Role and team history (type-2): one row per version of a user, in force from
-- valid_from (inclusive) to valid_to (exclusive). The first version also covers the time
-- before it was delivered, as the attribution rule in docs/kpi-catalogue.md says.
with versions as (select * from {{ ref('int_users__versioned') }})

select
    user_id,
    version_number,
    role,
    coalesce(team_id, 'unassigned') as team_id,
    manager_user_id,
    hire_date,
    termination_date,
    valid_from,
    valid_to,
    is_current
from versions
