-- Each plan assignment cut into its plan's periods (months or quarters): the days the
-- user served in the period under the plan (assignment and employment both count, so a
-- mid-period hire or role change is prorated), the quota for the period (a goal on
-- bookings_amount; a quarterly plan without a quarterly goal sums the months'), and the
-- plan's money in the reporting currency at the period start.
with assignments as (select * from {{ ref('stg_crm__comp_plan_assignments') }}),
plans as (select * from {{ ref('stg_crm__comp_plans') }}),
users as (select * from {{ ref('stg_crm__users') }}),
periods as (select * from {{ ref('int_pipeline_periods') }}),
goals as (
    select * from {{ ref('int_goals__current') }}
    where scope = 'user' and metric = 'bookings_amount'
),

bounded as (
    -- first days after the assignment and after the employment (both end dates included)
    select
        assignments.*,
        users.hire_date,
        cast({{ dbt.dateadd('day', 1, 'assignments.end_date') }} as date) as assignment_to,
        cast({{ dbt.dateadd('day', 1, 'users.termination_date') }} as date) as employed_to
    from assignments
    left join users on assignments.user_id = users.user_id
),

served as (
    -- [served_from, served_to); least and greatest skip what is unknown
    select
        bounded.assignment_id,
        bounded.user_id,
        bounded.plan_id,
        plans.period_grain,
        periods.period_start,
        periods.period_end,
        greatest(periods.period_start, bounded.start_date, bounded.hire_date) as served_from,
        least(periods.period_end, bounded.assignment_to, bounded.employed_to) as served_to
    from bounded
    inner join plans on bounded.plan_id = plans.plan_id
    inner join periods
        on plans.period_grain = periods.period_grain
        and bounded.start_date < periods.period_end
        and (bounded.end_date is null or bounded.end_date >= periods.period_start)
),

measured as (
    select
        served.*,
        {{ dbt.datediff('served.served_from', 'served.served_to', 'day') }}
            as served_days,
        {{ dbt.datediff('served.period_start', 'served.period_end', 'day') }}
            as period_days
    from served
    where served.served_from < served.served_to
),

quotas as (
    select
        measured.assignment_id,
        measured.period_start,
        coalesce(
            max(case when goals.grain = measured.period_grain then goals.target end),
            case
                when measured.period_grain = 'quarter'
                    and count(case when goals.grain = 'month' then 1 end) > 0
                    then sum(case when goals.grain = 'month' then goals.target end)
            end
        ) as quota_amount
    from measured
    inner join goals
        on measured.user_id = goals.scope_id
        and measured.period_start <= goals.period_start
        and measured.period_end > goals.period_start
    group by measured.assignment_id, measured.period_start, measured.period_grain
),

final as (
    select
        measured.assignment_id,
        measured.user_id,
        measured.plan_id,
        plans.role as plan_role,
        measured.period_grain,
        measured.period_start,
        measured.period_end,
        measured.served_from,
        measured.served_to,
        measured.served_days,
        measured.period_days,
        cast(measured.served_days as double) / measured.period_days as served_share,
        quotas.quota_amount,
        quotas.quota_amount * measured.served_days / measured.period_days
            as prorated_quota_amount,
        {{ in_reporting_currency('plans.base_salary', 'plans.currency', 'fx') }} as base_salary,
        {{ in_reporting_currency('plans.target_variable', 'plans.currency', 'fx') }}
            as target_variable,
        {{ in_reporting_currency('plans.cap_amount', 'plans.currency', 'fx') }} as cap_amount,
        {{ in_reporting_currency('plans.per_accepted_handoff', 'plans.currency', 'fx') }}
            as per_accepted_handoff,
        plans.commission_rate,
        plans.sourced_won_rate,
        plans.expansion_rate,
        plans.renewal_rate,
        plans.manager_override_rate,
        plans.clawback_days
    from measured
    inner join plans on measured.plan_id = plans.plan_id
    left join quotas
        on measured.assignment_id = quotas.assignment_id
        and measured.period_start = quotas.period_start
    {{ fx_join('fx', 'plans.currency', 'measured.period_start') }}
)

select * from final
