-- Which role(s) and team(s) each user held on some day of each month while employed
-- (docs/kpi-catalogue.md, Attribution). A version's role counts on the days it was in force, cut to
-- that version's own hire and termination dates.
with versions as (select * from {{ ref('int_users__versioned') }}),
months as (select * from {{ ref('int_months') }}),

version_days as (
    {{ employed_version_days('versions') }}
),

role_months as (
    select distinct
        version_days.user_id,
        months.month_start,
        version_days.role,
        coalesce(version_days.team_id, 'unassigned') as team_id
    from version_days
    inner join months
        on version_days.first_day <= months.month_end
        and version_days.last_day >= months.month_start
    where version_days.first_day <= version_days.last_day
)

select * from role_months
