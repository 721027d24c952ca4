-- Which role(s) and team(s) each user held on some day of each month while employed
-- (kpis.md, Attribution). A version's role counts on the days it was in force, cut to
-- that version's own hire and termination dates.
with versions as (select * from {{ ref('int_users__versioned') }}),
months as (select * from {{ ref('int_months') }}),

version_days as (
    select
        user_id,
        role,
        team_id,
        greatest(
            {{ local_date('valid_from') }}, coalesce(hire_date, cast('1900-01-01' as date))
        ) as first_day,
        least(
            {{ local_date(dbt.dateadd('microsecond', -1, 'valid_to')) }},
            coalesce(termination_date, cast('9999-12-31' as date))
        ) as last_day
    from versions
    -- a version superseded at the same instant it arrived was never in force
    where valid_to > valid_from
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
