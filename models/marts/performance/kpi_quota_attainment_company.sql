-- The company view of quota attainment per month and quarter: how many quota-carrying reps
-- had a quota and what share of them reached it (docs/kpi-catalogue.md, quota_attainment).
with reps as (select * from {{ ref('kpi_quota_attainment') }})

select
    grain,
    period_start,
    period_end,
    count(*) as quota_carrying_reps,
    count(case when quota > 0 then 1 end) as reps_with_quota,
    count(case when is_at_or_above_quota then 1 end) as reps_at_or_above_quota,
    {{ kpi('share_at_or_above_quota', {
        'reps_at_or_above_quota': 'count(case when is_at_or_above_quota then 1 end)',
        'reps_with_quota': 'count(case when quota > 0 then 1 end)',
    }) }} as share_at_or_above_quota,
    -- exact sums of decimals: the same rows give the same digits every run
    {{ as_money('sum(case when quota > 0 then bookings_amount end)') }}
        as bookings_amount_with_quota,
    {{ as_money('sum(case when quota > 0 then quota end)') }} as total_quota,
    {{ kpi('attainment', {
        'actual': 'sum(case when quota > 0 then cast(bookings_amount as decimal(38, 6)) end)',
        'target': 'sum(case when quota > 0 then quota end)',
    }) }} as pooled_attainment,
    bool_and(is_complete_period) as is_complete_period
from reps
group by grain, period_start, period_end
