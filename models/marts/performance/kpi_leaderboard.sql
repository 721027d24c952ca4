-- Per role x metric x week, month and quarter: every active rep of the role (held it on
-- some day of the period while employed) with the metric's value earned in that role, and
-- a rank (highest first; ties share a rank, the next rank skips). Teams are ranked the
-- same way on their members' work in the role (docs/kpi-catalogue.md, leaderboard).
-- Incremental on DuckDB (a table on Spark): a run rebuilds only the boards (metric x
-- period) whose inputs changed (int_metric_inputs__fingerprints, changed_metric_periods).
-- depends_on: {{ ref('int_metric_inputs__fingerprints') }}
{%- set grains = ['week', 'month', 'quarter'] %}
{{ config(**incremental_by_key_config(
    ['role', 'metric', 'grain', 'period_start', 'entity_type', 'entity_id']
)) }}
{{ config(
    pre_hook="{{ delete_changed_metric_periods(['week', 'month', 'quarter'], leaderboard=true) }}"
) }}

with role_days as (select * from {{ ref('int_users__role_days') }}),
daily as (select * from {{ ref('int_metric_actuals__daily') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),
{%- if is_incremental() %}

    changed as (
        {{ changed_metric_periods(grains, leaderboard=true) }}
    ),

    changed_periods as (
        select distinct
            grain,
            period_start
        from changed
    ),
{%- endif %}


active as (
    {%- for grain in grains %}
        select distinct
            role,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'date_day') }} as period_start,
            user_id,
            team_id
        from role_days
        where role in ('SDR', 'AE', 'AM') and {{ in_changed_board_period('date_day') }}
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

entities as (
    -- the two entity types never collide, so each half is deduplicated on its own
    select distinct
        role,
        grain,
        period_start,
        'rep' as entity_type,
        user_id as entity_id
    from active
    union all
    select distinct
        role,
        grain,
        period_start,
        'team' as entity_type,
        team_id as entity_id
    from active
    where team_id != 'unassigned'
),

spine as (
    select
        entities.*,
        board_metrics.metric
    from entities
    inner join board_metrics on entities.role = board_metrics.role
    {%- if is_incremental() %}
        where {{ in_changed_periods('board_metrics.metric', 'entities.grain', 'entities.period_start') }}
    {%- endif %}
),

metric_references as (
    {{ metric_references() }}
),

to_date as (
    select daily.*
    from daily
    cross join period
    where
        daily.event_date <= period.as_of_date
        and daily.role in ('SDR', 'AE', 'AM')
        and {{ in_changed_board_period('daily.event_date') }}
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
    -- each metric's own, numerator and denominator sums in one row (metric_slot_values)
    {%- for grain in grains %}
        {%- for entity_type, column in [('rep', 'user_id'), ('team', 'team_id')] %}
            select
                member_{{ grain }}s.role,
                '{{ grain }}' as grain,
                member_{{ grain }}s.period_start,
                '{{ entity_type }}' as entity_type,
                member_{{ grain }}s.{{ column }} as entity_id,
                metric_references.metric,
                {{ metric_slot_values('metric_references', 'member_' ~ grain ~ 's.value') }}
            from member_{{ grain }}s
            inner join metric_references
                on member_{{ grain }}s.metric = metric_references.referenced_metric
            group by
                member_{{ grain }}s.role,
                member_{{ grain }}s.period_start,
                member_{{ grain }}s.{{ column }},
                metric_references.metric
            {{ 'union all' if not loop.last }}
        {%- endfor %}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

resolved as (
    {{ resolve_metric_slots(
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
    and {{ period_end('ranked.grain', 'ranked.period_start') }} as is_current_period,
    {{ built_at() }} as _built_at
from ranked
cross join period
