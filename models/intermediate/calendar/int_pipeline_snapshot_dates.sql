-- The instants the pipeline is reconstructed at: the start (00:00, reporting time zone)
-- of every ISO week and every calendar month from the first reporting month to the
-- as-of date, and the end of the as-of date itself (today's pipeline, grain as_of). A
-- Monday that opens a month is both a week and a month snapshot.
with period as (select * from {{ ref('int_reporting_period') }}),
numbers as ({{ integers(5) }}),

days as (
    select cast({{ dbt.dateadd('day', 'numbers.n', 'period.first_month') }} as date) as date_day
    from period
    cross join numbers
    where {{ dbt.dateadd('day', 'numbers.n', 'period.first_month') }} <= period.as_of_date
),

snapshots as (
    select
        date_day as snapshot_date,
        'week' as snapshot_grain,
        cast(date_day as timestamp) as snapshot_at
    from days
    where {{ iso_day_of_week('date_day') }} = 1
    union all
    select
        date_day as snapshot_date,
        'month' as snapshot_grain,
        cast(date_day as timestamp) as snapshot_at
    from days
    where date_day = cast({{ dbt.date_trunc('month', 'date_day') }} as date)
    union all
    -- the as-of date's pipeline is the one at its end: midnight of the next day
    select
        as_of_date as snapshot_date,
        'as_of' as snapshot_grain,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as timestamp) as snapshot_at
    from period
)

select * from snapshots
