-- Each additive registry metric per rep, role held, team and day: the building block every
-- period, scope and leaderboard sums. Amounts follow "unknown is not zero": a day whose
-- amounts are all unknown is NULL, and sums over days add the known ones.
with events as (select * from {{ ref('int_metric_events') }}),
activities as (select * from {{ ref('int_activities__daily') }}),
registry as (select * from {{ ref('metric_registry') }}),

additive_metrics as (
    select
        metric,
        metric_type,
        event_type
    from registry
    where metric_type in ('count', 'sum')
),

event_days as (
    -- one row per event (events = 1), plus activities already counted per rep and day
    select
        event_type,
        user_id,
        role,
        team_id,
        event_date,
        1 as events,
        amount
    from events
    union all
    select
        activity_type as event_type,
        user_id,
        role,
        team_id,
        activity_date as event_date,
        activities as events,
        cast(null as decimal(38, 6)) as amount
    from activities
)

select
    additive_metrics.metric,
    event_days.user_id,
    event_days.role,
    event_days.team_id,
    event_days.event_date,
    case
        when additive_metrics.metric_type = 'count'
            then cast(sum(event_days.events) as decimal(38, 6))
        else sum(event_days.amount)
    end as value,
    cast(sum(event_days.events) as bigint) as events
from event_days
inner join additive_metrics on event_days.event_type = additive_metrics.event_type
group by
    additive_metrics.metric,
    additive_metrics.metric_type,
    event_days.user_id,
    event_days.role,
    event_days.team_id,
    event_days.event_date
