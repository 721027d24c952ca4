-- Hiring cohort (hire month) x tenure month (0 = the hire month): how the reps hired together
-- attain their role's target as they ramp (docs/kpi-catalogue.md, ramp). mean_attainment is the
-- plain mean of the reps' attainment, as the articles plot it; pooled_attainment (actual sum
-- over target sum) ships beside it for roll-ups.
with attainment as (select * from {{ ref('int_rep_attainment__monthly') }}),
reps as (select * from {{ ref('dim_reps') }}),

rep_months as (
    select
        {{ period_start('month', 'reps.hire_date') }} as hire_cohort,
        {{ dbt.datediff(
            period_start('month', 'reps.hire_date'), 'attainment.month_start', 'month'
        ) }} as tenure_month,
        attainment.user_id,
        -- exact sums below: a sum of doubles depends on the order threads add them in
        cast(attainment.actual as decimal(38, 6)) as actual,
        attainment.target,
        attainment.attainment
    from attainment
    inner join reps on attainment.user_id = reps.user_id
    where reps.hire_date is not null and attainment.target > 0
)

select
    hire_cohort,
    tenure_month,
    count(*) as reps_counted,
    -- exact sums, so the same rows give the same digits every run
    cast(avg(cast(attainment as decimal(38, 12))) as double) as mean_attainment,
    count(case when attainment >= 1 then 1 end) as reps_at_or_above_target,
    cast(sum(actual) as double) as actual,
    sum(target) as target,
    {{ kpi('attainment', {'actual': 'sum(actual)', 'target': 'sum(target)'}) }}
        as pooled_attainment
from rep_months
where tenure_month >= 0
group by hire_cohort, tenure_month
