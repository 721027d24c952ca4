-- Each additive registry metric per rep, role held, team and day: the building block every
-- period, scope and leaderboard sums. Amounts follow "unknown is not zero": a day whose
-- amounts are all unknown is NULL, and sums over days add the known ones.
with events as (select * from {{ ref('int_metric_events') }}),
registry as (select * from {{ ref('metric_registry') }}),

additive_metrics as (
    select
        metric,
        metric_type,
        event_type
    from registry
    where metric_type in ('count', 'sum')
)

select
    additive_metrics.metric,
    events.user_id,
    events.role,
    events.team_id,
    events.event_date,
    case
        when additive_metrics.metric_type = 'count' then cast(count(*) as decimal(38, 6))
        else sum(events.amount)
    end as value,
    count(*) as events
from events
inner join additive_metrics on events.event_type = additive_metrics.event_type
group by
    additive_metrics.metric,
    additive_metrics.metric_type,
    events.user_id,
    events.role,
    events.team_id,
    events.event_date
