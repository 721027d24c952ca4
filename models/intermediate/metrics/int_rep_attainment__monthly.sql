-- Each rep's attainment per month on the metric their role is judged on (registry
-- attainment_roles: bookings for AEs and AMs, qualified leads for SDRs), the role being
-- the one they held on their last employed day of the month. Shared by coach candidates
-- and the ramp marts.
with role_days as (select * from {{ ref('int_users__role_days') }}),
goals as (select * from {{ ref('int_goals__current') }}),
actuals as (select * from {{ ref('int_metric_actuals__periods') }}),
registry as (select * from {{ ref('int_metric_registry') }}),

last_role as (
    select
        user_id,
        {{ period_start('month', 'date_day') }} as month_start,
        role,
        row_number() over (
            partition by user_id, {{ period_start('month', 'date_day') }}
            order by date_day desc, role asc
        ) as latest_first
    from role_days
    where role in ('SDR', 'AE', 'AM')
),

spine as (
    select
        last_role.user_id as scope_id,
        last_role.role,
        'month' as grain,
        last_role.month_start as period_start,
        registry.metric
    from last_role
    inner join registry on {{ role_listed('registry.attainment_roles', 'last_role.role') }}
    where last_role.latest_first = 1
),

user_actuals as (
    -- months only: the actuals hold every day, week, quarter and year too
    select * from actuals
    where scope = 'user' and grain = 'month'
),

resolved as (
    {{ resolve_metric('spine', 'user_actuals', ['scope_id', 'grain', 'period_start']) }}
)

select
    resolved.scope_id as user_id,
    resolved.period_start as month_start,
    resolved.role,
    resolved.metric,
    resolved.value as actual,
    goals.target,
    {{ kpi('attainment', {'actual': 'resolved.value', 'target': 'goals.target'}) }}
        as attainment
from resolved
left join goals
    on goals.scope = 'user'
    and goals.grain = 'month'
    and resolved.scope_id = goals.scope_id
    and resolved.metric = goals.metric
    and resolved.period_start = goals.period_start
