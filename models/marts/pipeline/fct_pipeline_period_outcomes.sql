-- One row per month or quarter and opportunity expected in it: open at the period's start
-- with a close date inside the period, as it then stood, and what had become of it at the
-- period's end (or the as-of date, for the period under way). This is the grain of
-- slippage (a pushed deal is still open with a close date after the period) and of the
-- statistical forecast's stage rates (a deal won inside the period it was expected in).
with periods as (select * from {{ ref('int_pipeline_periods') }}),
period_bounds as (select * from {{ ref('int_reporting_period') }}),
snapshots as (select * from {{ ref('fct_pipeline_snapshots') }}),
versions as (select * from {{ ref('int_opportunities__versioned') }}),

expected as (
    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.is_complete,
        snapshots.opportunity_id,
        snapshots.owner_user_id,
        snapshots.owner_team_id,
        snapshots.stage as stage_at_start,
        snapshots.forecast_category as forecast_category_at_start,
        snapshots.pipeline_amount as amount_at_start,
        snapshots.expected_close_date as expected_close_date_at_start,
        -- the instant the outcome is read at: the period's end, or the as-of date's end
        least(
            cast(periods.period_end as timestamp),
            cast({{ dbt.dateadd('day', 1, 'period_bounds.as_of_date') }} as timestamp)
        ) as outcome_at
    from periods
    cross join period_bounds
    inner join snapshots
        on snapshots.snapshot_grain = 'month'
        and periods.period_start = snapshots.snapshot_date
        and periods.period_start <= snapshots.expected_close_date
        and periods.period_end > snapshots.expected_close_date
),

at_outcome as (
    select
        expected.*,
        versions.opportunity_id is not null as is_live_at_outcome,
        versions.stage as stage_at_outcome,
        versions.close_date as close_date_at_outcome,
        coalesce(versions.is_closed, false) as is_closed_at_outcome,
        coalesce(versions.is_won, false) as is_won_at_outcome
    from expected
    left join versions
        on expected.opportunity_id = versions.opportunity_id
        and {{ local_timestamp('versions.valid_from') }} <= expected.outcome_at
        and expected.outcome_at < {{ local_timestamp('versions.valid_to') }}
),

final as (
    select
        period_grain,
        period_start,
        period_end,
        is_complete,
        opportunity_id,
        owner_user_id,
        owner_team_id,
        stage_at_start,
        forecast_category_at_start,
        amount_at_start,
        expected_close_date_at_start,
        stage_at_outcome,
        close_date_at_outcome,
        case
            when not is_live_at_outcome then 'deleted'
            when is_closed_at_outcome and is_won_at_outcome then 'won'
            when is_closed_at_outcome then 'lost'
            when close_date_at_outcome >= period_end then 'pushed'
            else 'open'
        end as outcome,
        is_closed_at_outcome and is_won_at_outcome as is_won_in_period,
        not is_closed_at_outcome and is_live_at_outcome
        and close_date_at_outcome >= period_end as is_pushed
    from at_outcome
)

select * from final
