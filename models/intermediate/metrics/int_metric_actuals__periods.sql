-- Each additive registry metric summed per scope (user, team, company) x calendar period
-- (day, ISO week, month, quarter, year), up to the as-of date. Team work is the work of its
-- members while they belonged to it (team at the event); company is everything.
-- Rolled up step by step (sums of sums are exact, and stay unknown only when every
-- part is): rep-days are read once per scope, and the longer periods sum the shorter ones.
-- Incremental on DuckDB (a table on Spark): a run rebuilds only the periods holding a
-- rep-day that changed (int_metric_inputs__fingerprints), each from its shorter periods:
-- the rebuilt ones and, for the rest, the rows already here.
-- depends_on: {{ ref('int_metric_inputs__fingerprints') }}
{{ config(**incremental_by_key_config(['scope', 'scope_id', 'metric', 'grain', 'period_start'])) }}
{{ config(pre_hook="{{ delete_changed_metric_periods(period_grains()) }}") }}

with daily as (select * from {{ ref('int_metric_actuals__daily') }}),
period as (select * from {{ ref('int_reporting_period') }}),

{%- if is_incremental() %}

    changed as (
        {{ changed_metric_periods(period_grains()) }}
    ),

{%- endif %}

to_date as (
    select daily.*
    from daily
    cross join period
    where daily.event_date <= period.as_of_date
    {%- if is_incremental() %}
        and {{ in_changed_periods('daily.metric', "'day'", 'daily.event_date') }}
    {%- endif %}
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

{%- set finer = {
    'week': ('days', 'day'),
    'month': ('days', 'day'),
    'quarter': ('months', 'month'),
    'year': ('quarters', 'quarter'),
} %}
{%- for grain in ['week', 'month', 'quarter', 'year'] %}
    {%- set relation, finer_grain = finer[grain] %}

    {{ grain }}_parts as (
        select
            scope,
            scope_id,
            metric,
            period_start,
            value
        from {{ relation }}
        {%- if is_incremental() %}
            -- the unchanged parts of a changed period, as stored (the changed parts were
            -- rebuilt above: a changed day also changes its week, month, quarter and year)
            union all
            select
                this.scope,
                this.scope_id,
                this.metric,
                this.period_start,
                this.value
            from {{ this }} as this
            where
                this.grain = '{{ finer_grain }}'
                and {{ in_changed_periods(
                    'this.metric', "'" ~ grain ~ "'", period_start(grain, 'this.period_start')
                ) }}
                and not {{ in_changed_periods('this.metric', 'this.grain', 'this.period_start') }}
        {%- endif %}
    ),

    {{ grain }}s as (
        select
            scope,
            scope_id,
            metric,
            {{ period_start(grain, 'period_start') }} as period_start,
            sum(value) as value
        from {{ grain }}_parts
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

select
    *,
    {{ built_at() }} as _built_at
from periods
