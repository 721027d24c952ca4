-- One row per rep (anyone who held the SDR, AE or AM role): hire date, tenure, and how many
-- months from hire it took to reach 100 % of target on their role's attainment metric for the
-- first time (docs/kpi-catalogue.md, ramp). Tenure month 0 is the hire month. Reps hired before
-- the first reporting month were not observed from hire: their months_to_target is NULL.
with reps as (select * from {{ ref('dim_reps') }}),
attainment as (select * from {{ ref('int_rep_attainment__monthly') }}),
period as (select * from {{ ref('int_reporting_period') }}),

first_at_target as (
    select
        user_id,
        min(month_start) as first_month_at_target,
        count(*) as months_at_target
    from attainment
    where attainment >= 1
    group by user_id
),

months_with_target as (
    select
        user_id,
        count(*) as months_with_target
    from attainment
    where target > 0
    group by user_id
),

ramp as (
    select
        reps.user_id,
        reps.role as role_now,
        reps.team_id,
        reps.hire_date,
        {{ period_start('month', 'reps.hire_date') }} as hire_cohort,
        reps.termination_date,
        {{ dbt.datediff(period_start('month', 'reps.hire_date'), 'period.as_of_month', 'month') }}
            as tenure_months,
        reps.hire_date >= period.first_month as is_hire_observed,
        coalesce(months_with_target.months_with_target, 0) as months_with_target,
        coalesce(first_at_target.months_at_target, 0) as months_at_target,
        first_at_target.first_month_at_target
    from reps
    cross join period
    left join first_at_target on reps.user_id = first_at_target.user_id
    left join months_with_target on reps.user_id = months_with_target.user_id
    where reps.was_ever_sdr or reps.was_ever_ae or reps.was_ever_am
)

select
    ramp.*,
    case
        when ramp.is_hire_observed
            then {{ dbt.datediff('ramp.hire_cohort', 'ramp.first_month_at_target', 'month') }}
    end as months_to_target
from ramp
