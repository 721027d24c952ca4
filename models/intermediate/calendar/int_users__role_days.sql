-- Which role and team each user held on each day of the reporting period while employed
-- (docs/kpi-catalogue.md, Attribution): who is an active rep of a role in a week, on a contest's
-- day, or on the as-of date. A version counts on the days it was in force, cut to its own hire
-- and termination dates; on a day with two versions both count.
with versions as (select * from {{ ref('int_users__versioned') }}),
period as (select * from {{ ref('int_reporting_period') }}),

numbers as ({{ integers(4) }}),

days as (
    select cast({{ dbt.dateadd('day', 'numbers.n', 'period.first_month') }} as date) as date_day
    from period
    cross join numbers
    where {{ dbt.dateadd('day', 'numbers.n', 'period.first_month') }} <= period.as_of_date
),

version_days as (
    {{ employed_version_days('versions') }}
)

select distinct
    version_days.user_id,
    days.date_day,
    version_days.role,
    coalesce(version_days.team_id, 'unassigned') as team_id
from version_days
inner join days
    on days.date_day between version_days.first_day and version_days.last_day
