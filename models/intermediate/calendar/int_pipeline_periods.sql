-- The months and quarters of the pipeline review (slippage, coverage, forecast): from the
-- first reporting month to the period holding the as-of date. A period is complete when
-- the as-of date is its last day or later; its outcome is then final.
with period as (select * from {{ ref('int_reporting_period') }}),
months as (select * from {{ ref('int_months') }}),

starts as (
    select
        'month' as period_grain,
        month_start as period_start,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as period_end
    from months
    union all
    select
        'quarter' as period_grain,
        month_start as period_start,
        cast({{ dbt.dateadd('month', 3, 'month_start') }} as date) as period_end
    from months
    where month_start = cast({{ dbt.date_trunc('quarter', 'month_start') }} as date)
),

final as (
    select
        starts.period_grain,
        starts.period_start,
        starts.period_end,
        starts.period_end <= {{ dbt.dateadd('day', 1, 'period.as_of_date') }} as is_complete,
        starts.period_start <= period.as_of_date
        and period.as_of_date < starts.period_end as holds_as_of_date
    from starts
    cross join period
    where starts.period_start <= period.as_of_date
)

select * from final
