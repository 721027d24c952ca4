-- One row per team, plus 'unassigned' for work by users without a team.
with teams as (select * from {{ ref('stg_crm__teams') }})

select
    team_id,
    team_name,
    region,
    manager_user_id
from teams
union all
select
    'unassigned' as team_id,
    'Unassigned' as team_name,
    cast(null as {{ dbt.type_string() }}) as region,
    cast(null as {{ dbt.type_string() }}) as manager_user_id
