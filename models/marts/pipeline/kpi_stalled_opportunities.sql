-- The deals to look at in a pipeline review (docs/kpi-catalogue.md, Pipeline and
-- forecast): open at the as-of date and in their stage for longer than the stage's 75th
-- percentile, over the company's stays in that stage that ended in the 12 months before.
with period as (select * from {{ ref('int_reporting_period') }}),
stays as (select * from {{ ref('fct_opportunity_stage_history') }}),
snapshots as (select * from {{ ref('fct_pipeline_snapshots') }}),

open_now as (
    select snapshots.* from snapshots
    where snapshots.snapshot_grain = 'as_of'
),

current_stay as (
    -- the latest stay entered by the end of the as-of date
    select
        stays.opportunity_id,
        stays.stage,
        stays.entered_at,
        {{ dbt.datediff(local_date('stays.entered_at'), 'period.as_of_date', 'day') }}
            as days_in_stage,
        row_number() over (
            partition by stays.opportunity_id order by stays.entered_at desc
        ) as latest_first
    from stays
    cross join period
    where {{ local_date('stays.entered_at') }} <= period.as_of_date
),

stage_norms as (
    select
        stays.stage,
        count(*) as stays_completed,
        {{ percentile('stays.days_in_stage', 0.75) }} as p75_days_in_stage
    from stays
    cross join period
    where
        not stays.is_closing_stay
        and stays.left_at is not null
        and {{ local_date('stays.left_at') }} <= period.as_of_date
        and {{ local_date('stays.left_at') }}
        > cast({{ dbt.dateadd('month', -12, 'period.as_of_date') }} as date)
    group by stays.stage
),

final as (
    select
        open_now.snapshot_date as as_of_date,
        open_now.opportunity_id,
        open_now.owner_user_id,
        open_now.owner_team_id,
        current_stay.stage,
        current_stay.entered_at as entered_stage_at,
        cast(current_stay.days_in_stage as bigint) as days_in_stage,
        stage_norms.p75_days_in_stage,
        stage_norms.stays_completed as stays_in_norm,
        {{ as_money('open_now.pipeline_amount') }} as pipeline_amount,
        open_now.expected_close_date
    from open_now
    inner join current_stay
        on open_now.opportunity_id = current_stay.opportunity_id
        and current_stay.latest_first = 1
        -- the stage history and the opportunity agree on where the deal is
        and open_now.stage = current_stay.stage
    inner join stage_norms on current_stay.stage = stage_norms.stage
    where current_stay.days_in_stage > stage_norms.p75_days_in_stage
)

select * from final
