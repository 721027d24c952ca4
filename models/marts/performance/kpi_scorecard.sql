-- One row per goal: scope x scope_id x metric x grain x period_start with the actual, the
-- target and attainment, and for the period holding the as-of date the target prorated by
-- elapsed business days and the pace against it (docs/kpi-catalogue.md, Goals, quotas, scorecards).
with goals as (select * from {{ ref('int_goals__current') }}),
actuals as (select * from {{ ref('int_metric_actuals__periods') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),

numbers as ({{ integers(3) }}),

in_window as (
    -- goals whose period overlaps the reporting window
    select goals.*
    from goals
    cross join period
    where goals.period_start <= period.as_of_date and goals.period_end >= period.first_month
),

goal_days as (
    select
        in_window.goal_id,
        cast({{ dbt.dateadd('day', 'numbers.n', 'in_window.period_start') }} as date) as date_day
    from in_window
    inner join numbers
        on numbers.n <= {{ dbt.datediff('in_window.period_start', 'in_window.period_end', 'day') }}
),

calendar as (
    -- business days are Monday to Friday; the as-of day itself has elapsed
    select
        goal_days.goal_id,
        count(*) as days_in_period,
        count(case when goal_days.date_day <= period.as_of_date then 1 end) as days_elapsed,
        count(case when {{ iso_day_of_week('goal_days.date_day') }} <= 5 then 1 end)
            as business_days_in_period,
        count(
            case
                when {{ iso_day_of_week('goal_days.date_day') }} <= 5
                    and goal_days.date_day <= period.as_of_date
                    then 1
            end
        ) as business_days_elapsed
    from goal_days
    cross join period
    group by goal_days.goal_id
),

goal_periods as (
    select distinct
        scope,
        scope_id,
        grain,
        period_start
    from in_window
),

goal_actuals as (
    -- the actuals of the periods some goal is set on: the actuals hold every day of every
    -- scope, and the three look-ups below would each probe all of them
    select actuals.*
    from actuals
    inner join goal_periods
        on actuals.scope = goal_periods.scope
        and actuals.scope_id = goal_periods.scope_id
        and actuals.grain = goal_periods.grain
        and actuals.period_start = goal_periods.period_start
),

resolved as (
    {{ resolve_metric(
        'in_window', 'goal_actuals', ['scope', 'scope_id', 'grain', 'period_start']
    ) }}
),

final as (
    select
        resolved.scope,
        resolved.scope_id,
        resolved.metric,
        resolved.grain,
        resolved.period_start,
        resolved.period_end,
        resolved.goal_id,
        registry.kind as metric_kind,
        resolved.unit,
        resolved.target,
        cast(resolved.value as double) as actual,
        cast(resolved.numerator as double) as numerator,
        cast(resolved.denominator as double) as denominator,
        {{ kpi('attainment', {'actual': 'resolved.value', 'target': 'resolved.target'}) }}
            as attainment,
        case
            when period.as_of_date > resolved.period_end then 'complete'
            else 'current'
        end as period_status,
        calendar.business_days_in_period,
        calendar.business_days_elapsed,
        case
            when period.as_of_date <= resolved.period_end
                -- a period without business days (a weekend day) prorates by calendar days
                then resolved.target * case
                        when calendar.business_days_in_period > 0
                            then cast(calendar.business_days_elapsed as double)
                                / calendar.business_days_in_period
                        else cast(calendar.days_elapsed as double) / calendar.days_in_period
                    end
        end as expected_to_date,
        period.as_of_date
    from resolved
    cross join period
    inner join calendar on resolved.goal_id = calendar.goal_id
    left join registry on resolved.metric = registry.metric
)

select
    scope,
    scope_id,
    metric,
    grain,
    period_start,
    period_end,
    goal_id,
    metric_kind,
    unit,
    target,
    actual,
    numerator,
    denominator,
    attainment,
    period_status,
    business_days_in_period,
    business_days_elapsed,
    expected_to_date,
    {{ kpi('pace') }} as pace,
    as_of_date
from final
