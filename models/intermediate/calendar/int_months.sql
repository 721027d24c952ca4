-- The reporting months, first month to the as-of month, with the instants KPIs need.
with period as (select * from {{ ref('int_reporting_period') }}),

numbers as ({{ integers(3) }}),

months as (
    select
        cast({{ dbt.dateadd('month', 'numbers.n', 'period.first_month') }} as date)
            as month_start
    from period
    cross join numbers
    where {{ dbt.dateadd('month', 'numbers.n', 'period.first_month') }} <= period.as_of_month
),

bounded as (
    select
        month_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date)
            as month_end,
        cast({{ dbt.dateadd('day', -1, 'month_start') }} as date) as prev_month_end
    from months
)

select
    month_start,
    month_end,
    prev_month_end,
    -- "at the end of the month's last day": the last instant before the next month
    {{ end_of_day('month_end') }} as month_end_at,
    {{ end_of_day('prev_month_end') }} as prev_month_end_at
from bounded
