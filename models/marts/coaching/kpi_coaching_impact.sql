-- One row per coachee x coached metric: the metric over the 3 months before the month of
-- the first session on it and the 3 complete months after that month (docs/kpi-catalogue.md,
-- coaching_impact). A count or amount is the mean per month the coachee was employed; a
-- ratio is pooled over the window (its numerator sum over its denominator sum). A window
-- with no employed month has no value.
with sessions as (select * from {{ ref('stg_crm__coaching_sessions') }}),
role_months as (select * from {{ ref('int_users__role_months') }}),
actuals as (select * from {{ ref('int_metric_actuals__periods') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),
months as (select * from {{ ref('int_months') }}),

coached as (
    select
        coachee_user_id,
        target_metric as metric,
        min(occurred_at) as first_session_at,
        {{ month_of('min(occurred_at)') }} as first_session_month,
        count(*) as sessions,
        count(distinct coach_user_id) as coaches
    from sessions
    where target_metric is not null and trim(target_metric) != ''
    group by coachee_user_id, target_metric
),

employed_months as (
    select distinct
        role_months.user_id,
        role_months.month_start
    from role_months
    inner join months on role_months.month_start = months.month_start
    cross join period
    -- only months that have ended count
    where months.month_end <= period.as_of_date
),

window_months as (
    select
        coached.coachee_user_id,
        coached.metric as target_metric,
        case
            when employed_months.month_start < coached.first_session_month then 'before'
            else 'after'
        end as window_name,
        employed_months.month_start
    from coached
    inner join employed_months
        on coached.coachee_user_id = employed_months.user_id
        and coached.first_session_month != employed_months.month_start
        and employed_months.month_start
        >= {{ dbt.dateadd('month', -3, 'coached.first_session_month') }}
        and employed_months.month_start
        <= {{ dbt.dateadd('month', 3, 'coached.first_session_month') }}
),

windows as (
    select 'before' as window_name
    union all
    select 'after' as window_name
),

spine as (
    select
        coached.coachee_user_id,
        coached.metric as target_metric,
        coached.metric,
        windows.window_name
    from coached
    cross join windows
),

totals as (
    select
        window_months.coachee_user_id,
        window_months.target_metric,
        window_months.window_name,
        actuals.metric,
        sum(actuals.value) as value
    from window_months
    inner join actuals
        on actuals.scope = 'user'
        and actuals.grain = 'month'
        and window_months.coachee_user_id = actuals.scope_id
        and window_months.month_start = actuals.period_start
    group by
        window_months.coachee_user_id,
        window_months.target_metric,
        window_months.window_name,
        actuals.metric
),

month_counts as (
    select
        coachee_user_id,
        target_metric as metric,
        window_name,
        count(*) as months_counted
    from window_months
    group by coachee_user_id, target_metric, window_name
),

resolved as (
    {{ resolve_metric('spine', 'totals', ['coachee_user_id', 'target_metric', 'window_name']) }}
),

valued as (
    select
        resolved.coachee_user_id,
        resolved.metric,
        resolved.window_name,
        coalesce(month_counts.months_counted, 0) as months_counted,
        case
            when coalesce(month_counts.months_counted, 0) = 0 then null
            when resolved.metric_type = 'ratio' then cast(resolved.value as double)
            else cast(resolved.value as double) / month_counts.months_counted
        end as value
    from resolved
    left join month_counts
        on resolved.coachee_user_id = month_counts.coachee_user_id
        and resolved.metric = month_counts.metric
        and resolved.window_name = month_counts.window_name
)

select
    coached.coachee_user_id,
    coached.metric as target_metric,
    coached.first_session_at,
    coached.first_session_month,
    coached.sessions,
    coached.coaches,
    before.months_counted as months_before,
    before.value as value_before,
    after.months_counted as months_after,
    after.value as value_after,
    after.value - before.value as change,
    {{ safe_divide('after.value - before.value', 'abs(before.value)') }} as relative_change
from coached
inner join valued as before
    on coached.coachee_user_id = before.coachee_user_id
    and coached.metric = before.metric
    and before.window_name = 'before'
inner join valued as after
    on coached.coachee_user_id = after.coachee_user_id
    and coached.metric = after.metric
    and after.window_name = 'after'
