-- One row per team, plus 'unassigned' for work by users without a team.
with teams as (select * from {{ ref('stg_crm__teams') }})

select team_id, team_name, region, manager_user_id from teams
union all
select 'unassigned', 'Unassigned', cast(null as varchar), cast(null as varchar)
