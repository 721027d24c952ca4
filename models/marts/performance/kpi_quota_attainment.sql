-- One row per quota-carrying rep (held the AE or AM role on some day of the period while
-- employed) x month and quarter: bookings, quota and attainment (docs/kpi-catalogue.md,
-- quota_attainment). A quota is a user goal on bookings_amount; a quarter without its own quota
-- adds up the monthly quotas set inside it.
with role_months as (select * from {{ ref('int_users__role_months') }}),
goals as (select * from {{ ref('int_goals__current') }}),
actuals as (select * from {{ ref('int_metric_actuals__periods') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),
reps as (select * from {{ ref('dim_reps') }}),

rep_months as (
    select distinct
        user_id,
        month_start
    from role_months
    where role in ('AE', 'AM')
),

spine as (
    select distinct
        user_id as scope_id,
        'month' as grain,
        month_start as period_start,
        'bookings_amount' as metric
    from rep_months
    union
    select distinct
        user_id as scope_id,
        'quarter' as grain,
        {{ period_start('quarter', 'month_start') }} as period_start,
        'bookings_amount' as metric
    from rep_months
),

quotas as (
    select
        scope_id,
        grain,
        period_start,
        target as quota
    from goals
    where scope = 'user' and metric = 'bookings_amount' and grain in ('month', 'quarter')
),

monthly_quotas_by_quarter as (
    select
        scope_id,
        {{ period_start('quarter', 'period_start') }} as period_start,
        sum(quota) as quota
    from quotas
    where grain = 'month'
    group by scope_id, {{ period_start('quarter', 'period_start') }}
),

user_actuals as (
    -- the spine's grains only: the actuals hold every day, week and year too
    select * from actuals
    where scope = 'user' and grain in ('month', 'quarter')
),

resolved as (
    {{ resolve_metric('spine', 'user_actuals', ['scope_id', 'grain', 'period_start']) }}
),

final as (
    select
        resolved.scope_id as user_id,
        resolved.grain,
        resolved.period_start,
        {{ period_end('resolved.grain', 'resolved.period_start') }} as period_end,
        {{ as_money('resolved.value') }} as bookings_amount,
        {{ as_money('coalesce(own_quota.quota, summed_quota.quota)') }} as quota
    from resolved
    left join quotas as own_quota
        on resolved.scope_id = own_quota.scope_id
        and resolved.grain = own_quota.grain
        and resolved.period_start = own_quota.period_start
    left join monthly_quotas_by_quarter as summed_quota
        on resolved.grain = 'quarter'
        and resolved.scope_id = summed_quota.scope_id
        and resolved.period_start = summed_quota.period_start
)

select
    final.user_id,
    final.grain,
    final.period_start,
    final.period_end,
    reps.full_name as rep_name,
    final.bookings_amount,
    final.quota,
    {{ kpi('attainment', {'actual': 'final.bookings_amount', 'target': 'final.quota'}) }}
        as attainment,
    final.bookings_amount >= final.quota and final.quota > 0 as is_at_or_above_quota,
    period.as_of_date > final.period_end as is_complete_period
from final
cross join period
left join reps on final.user_id = reps.user_id
