-- Each contest x participant: the contest metric's total inside the window, the rank and the
-- leader (docs/kpi-catalogue.md, contest_standings). A role contest ranks the reps who held the
-- role on some day of the window, on the work they did in that role; a team contest ranks the
-- teams its scope_value names (|-separated team ids, or `all`) on their members' work. A running
-- contest has standings to the as-of date; an upcoming one lists who is in it.
with contests as (select * from {{ ref('stg_crm__contests') }}),
role_days as (select * from {{ ref('int_users__role_days') }}),
teams as (select * from {{ ref('stg_crm__teams') }}),
daily as (select * from {{ ref('int_metric_actuals__daily') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),

windows as (
    select
        contests.contest_id,
        contests.contest_name,
        contests.metric,
        contests.scope,
        contests.scope_value,
        contests.start_date,
        contests.end_date,
        case
            when period.as_of_date < contests.start_date then 'upcoming'
            when period.as_of_date > contests.end_date then 'finished'
            else 'running'
        end as status,
        least(contests.end_date, period.as_of_date) as standings_through,
        period.as_of_date
    from contests
    cross join period
),

participants as (
    select distinct
        windows.contest_id,
        windows.metric,
        'rep' as participant_type,
        role_days.user_id as participant_id
    from windows
    inner join role_days
        on windows.scope = 'role'
        and role_days.role = windows.scope_value
        -- before it starts, the reps in the role on the as-of date are the field
        and (
            (windows.status = 'upcoming' and windows.as_of_date = role_days.date_day)
            or role_days.date_day between windows.start_date and windows.standings_through
        )
    union all
    select
        windows.contest_id,
        windows.metric,
        'team' as participant_type,
        teams.team_id as participant_id
    from windows
    inner join teams
        on windows.scope = 'team'
        and (
            windows.scope_value = 'all'
            or {{ role_listed('windows.scope_value', 'teams.team_id') }}
        )
),

totals as (
    select
        windows.contest_id,
        'rep' as participant_type,
        daily.user_id as participant_id,
        daily.metric,
        sum(daily.value) as value
    from windows
    inner join daily
        on windows.scope = 'role'
        and windows.scope_value = daily.role
        and daily.event_date between windows.start_date and windows.standings_through
    group by windows.contest_id, daily.user_id, daily.metric
    union all
    select
        windows.contest_id,
        'team' as participant_type,
        daily.team_id as participant_id,
        daily.metric,
        sum(daily.value) as value
    from windows
    inner join daily
        on windows.scope = 'team'
        and daily.event_date between windows.start_date and windows.standings_through
    group by windows.contest_id, daily.team_id, daily.metric
),

resolved as (
    {{ resolve_metric(
        'participants', 'totals', ['contest_id', 'participant_type', 'participant_id']
    ) }}
),

ranked as (
    select
        resolved.*,
        case
            when resolved.value is not null
                then rank()
                        over (
                            partition by resolved.contest_id order by resolved.value desc nulls last
                        )
        end as rank
    from resolved
)

select
    windows.contest_id,
    windows.contest_name,
    windows.metric,
    windows.scope,
    windows.scope_value,
    windows.start_date,
    windows.end_date,
    windows.status,
    case when windows.status != 'upcoming' then windows.standings_through end
        as standings_through,
    ranked.participant_type,
    ranked.participant_id,
    ranked.unit,
    cast(case when windows.status != 'upcoming' then ranked.value end as double) as total,
    cast(case when windows.status != 'upcoming' then ranked.rank end as bigint) as rank,
    coalesce(windows.status != 'upcoming' and ranked.rank = 1 and ranked.value > 0, false)
        as is_leader
from ranked
inner join windows on ranked.contest_id = windows.contest_id
