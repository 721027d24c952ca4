-- Each additive registry metric summed per scope (user, team, company) x calendar period
-- (day, ISO week, month, quarter, year), up to the as-of date. Team work is the work of its
-- members while they belonged to it (team at the event); company is everything.
with daily as (select * from {{ ref('int_metric_actuals__daily') }}),
period as (select * from {{ ref('int_reporting_period') }}),

to_date as (
    select daily.*
    from daily
    cross join period
    where daily.event_date <= period.as_of_date
),

scoped as (
    select
        'user' as scope,
        user_id as scope_id,
        metric,
        event_date,
        value
    from to_date
    union all
    select
        'team' as scope,
        team_id as scope_id,
        metric,
        event_date,
        value
    from to_date
    union all
    select
        'company' as scope,
        'company' as scope_id,
        metric,
        event_date,
        value
    from to_date
),

periods as (
    {%- for grain in period_grains() %}
        select
            scope,
            scope_id,
            metric,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'event_date') }} as period_start,
            sum(value) as value
        from scoped
        group by scope, scope_id, metric, {{ period_start(grain, 'event_date') }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from periods
