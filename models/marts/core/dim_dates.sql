-- One row per day from the first reporting month to the end of the as-of month, with the
-- periods scorecards need (ISO week, month, quarter, year) and business days.
with period as (select * from {{ ref('int_reporting_period') }}),
numbers as ({{ integers(5) }}),

days as (
    select cast({{ dbt.dateadd('day', 'numbers.n', 'period.first_month') }} as date) as date_day
    from period
    cross join numbers
    where {{ dbt.dateadd('day', 'numbers.n', 'period.first_month') }}
        < {{ dbt.dateadd('month', 1, 'period.as_of_month') }}
)

select
    date_day,
    cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
    cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
    cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start,
    {{ iso_day_of_week('date_day') }} as iso_day_of_week,
    {{ iso_day_of_week('date_day') }} <= 5 as is_business_day
from days
