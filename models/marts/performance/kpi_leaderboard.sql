-- Per role x metric x week, month and quarter: every active rep of the role (held it on
-- some day of the period while employed) with the metric's value earned in that role, and
-- a rank (highest first; ties share a rank, the next rank skips). Teams are ranked the
-- same way on their members' work in the role (kpis.md, leaderboard).
with role_days as (select * from {{ ref('int_users__role_days') }}),
daily as (select * from {{ ref('int_metric_actuals__daily') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),

{%- set grains = ['week', 'month', 'quarter'] %}

active as (
    {%- for grain in grains %}
        select distinct
            role,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'date_day') }} as period_start,
            user_id,
            team_id
        from role_days
        where role in ('SDR', 'AE', 'AM')
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

roles as (
    select 'SDR' as role
    union all
    select 'AE' as role
    union all
    select 'AM' as role
),

board_metrics as (
    select
        roles.role,
        registry.metric
    from registry
    inner join roles on {{ role_listed('registry.leaderboard_roles', 'roles.role') }}
),

spine as (
    select distinct
        active.role,
        active.grain,
        active.period_start,
        'rep' as entity_type,
        active.user_id as entity_id,
        board_metrics.metric
    from active
    inner join board_metrics on active.role = board_metrics.role
    union
    select distinct
        active.role,
        active.grain,
        active.period_start,
        'team' as entity_type,
        active.team_id as entity_id,
        board_metrics.metric
    from active
    inner join board_metrics on active.role = board_metrics.role
    where active.team_id != 'unassigned'
),

to_date as (
    select daily.*
    from daily
    cross join period
    where daily.event_date <= period.as_of_date and daily.role in ('SDR', 'AE', 'AM')
),

{#- each rep's work per team held, summed once per grain (quarters from months); reps and
    teams are then two small sums of that -#}
{%- set finer = {
    'week': ('to_date', 'event_date'),
    'month': ('to_date', 'event_date'),
    'quarter': ('member_months', 'period_start'),
} %}
{%- for grain in grains %}
    {%- set relation, day = finer[grain] %}

    member_{{ grain }}s as (
        select
            role,
            user_id,
            team_id,
            metric,
            {{ period_start(grain, day) }} as period_start,
            sum(value) as value
        from {{ relation }}
        group by role, user_id, team_id, metric, {{ period_start(grain, day) }}
    ),
{%- endfor %}

totals as (
    {%- for grain in grains %}
        {%- for entity_type, column in [('rep', 'user_id'), ('team', 'team_id')] %}
            select
                role,
                '{{ grain }}' as grain,
                period_start,
                '{{ entity_type }}' as entity_type,
                {{ column }} as entity_id,
                metric,
                sum(value) as value
            from member_{{ grain }}s
            group by role, period_start, {{ column }}, metric
            {{ 'union all' if not loop.last }}
        {%- endfor %}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

resolved as (
    {{ resolve_metric(
        'spine', 'totals', ['role', 'grain', 'period_start', 'entity_type', 'entity_id']
    ) }}
),

ranked as (
    select
        resolved.*,
        case
            when resolved.value is not null
                then rank() over (
                        partition by
                            resolved.role,
                            resolved.metric,
                            resolved.grain,
                            resolved.period_start,
                            resolved.entity_type
                        order by resolved.value desc nulls last
                    )
        end as rank,
        count(resolved.value) over (
            partition by
                resolved.role,
                resolved.metric,
                resolved.grain,
                resolved.period_start,
                resolved.entity_type
        ) as ranked_entities
    from resolved
)

select
    ranked.role,
    ranked.metric,
    ranked.grain,
    ranked.period_start,
    {{ period_end('ranked.grain', 'ranked.period_start') }} as period_end,
    ranked.entity_type,
    ranked.entity_id,
    ranked.unit,
    cast(ranked.value as double) as value,
    cast(ranked.numerator as double) as numerator,
    cast(ranked.denominator as double) as denominator,
    cast(ranked.rank as bigint) as rank,
    ranked.ranked_entities,
    period.as_of_date between ranked.period_start
    and {{ period_end('ranked.grain', 'ranked.period_start') }} as is_current_period
from ranked
cross join period
