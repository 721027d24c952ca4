-- Each stage's historical win rate at each snapshot: of the opportunities that entered the
-- stage and closed in the 12 months before the snapshot day, the share won. It weights an
-- open deal whose CRM gives no probability and whose stage the seed does not know.
-- Closes are counted per stage and day first, so the window sums days, not deals.
with snapshot_dates as (select * from {{ ref('int_pipeline_snapshot_dates') }}),
history as (select * from {{ ref('stg_crm__opportunity_stage_history') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),

stages_of_closed as (
    select distinct
        history.stage,
        opportunities.opportunity_id,
        opportunities.close_date,
        opportunities.is_won
    from history
    inner join opportunities on history.opportunity_id = opportunities.opportunity_id
    where opportunities.is_closed and opportunities.close_date is not null
),

closes_per_day as (
    select
        stage,
        close_date,
        sum(case when is_won then 1 else 0 end) as deals_won,
        sum(case when is_won then 0 else 1 end) as deals_lost
    from stages_of_closed
    group by stage, close_date
),

windowed as (
    select
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_grain,
        closes_per_day.stage,
        sum(closes_per_day.deals_won) as deals_won,
        sum(closes_per_day.deals_lost) as deals_lost
    from snapshot_dates
    inner join closes_per_day
        on closes_per_day.close_date < cast(snapshot_dates.snapshot_at as date)
        and closes_per_day.close_date
        >= cast({{ dbt.dateadd('month', -12, 'snapshot_dates.snapshot_at') }} as date)
    group by snapshot_dates.snapshot_date, snapshot_dates.snapshot_grain, closes_per_day.stage
),

final as (
    select
        snapshot_date,
        snapshot_grain,
        stage,
        deals_won,
        deals_lost,
        {{ kpi('win_rate') }} as win_rate
    from windowed
)

select * from final
