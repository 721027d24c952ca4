-- Each additive registry metric summed per scope (user, team, company) x calendar period
-- (day, ISO week, month, quarter, year), up to the as-of date. Team work is the work of its
-- members while they belonged to it (team at the event); company is everything.
-- Rolled up step by step (sums of sums are exact, and stay unknown only when every
-- part is): rep-days are read once per scope, and the longer periods sum the shorter ones.
with daily as (select * from {{ ref('int_metric_actuals__daily') }}),
period as (select * from {{ ref('int_reporting_period') }}),

to_date as (
    select daily.*
    from daily
    cross join period
    where daily.event_date <= period.as_of_date
),

member_days as (
    select
        'user' as scope,
        user_id as scope_id,
        metric,
        event_date as period_start,
        sum(value) as value
    from to_date
    group by user_id, metric, event_date
    union all
    select
        'team' as scope,
        team_id as scope_id,
        metric,
        event_date as period_start,
        sum(value) as value
    from to_date
    group by team_id, metric, event_date
),

days as (
    select * from member_days
    union all
    select
        'company' as scope,
        'company' as scope_id,
        metric,
        period_start,
        sum(value) as value
    from member_days
    where scope = 'team'
    group by metric, period_start
),

{%- set finer = {'week': 'days', 'month': 'days', 'quarter': 'months', 'year': 'quarters'} %}
{%- for grain in ['week', 'month', 'quarter', 'year'] %}

    {{ grain }}s as (
        select
            scope,
            scope_id,
            metric,
            {{ period_start(grain, 'period_start') }} as period_start,
            sum(value) as value
        from {{ finer[grain] }}
        group by scope, scope_id, metric, {{ period_start(grain, 'period_start') }}
    ),
{%- endfor %}

periods as (
    {%- for grain in period_grains() %}
        select
            scope,
            scope_id,
            metric,
            '{{ grain }}' as grain,
            period_start,
            value
        from {{ grain }}s
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from periods
