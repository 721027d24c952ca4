-- Each stage a live opportunity entered, and how long it stayed there.
with history as (select * from {{ ref('stg_crm__opportunity_stage_history') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),

sequenced as (
    select
        history.opportunity_id,
        history.stage,
        history.entered_at,
        lead(history.entered_at) over (
            partition by history.opportunity_id order by history.entered_at
        ) as left_at,
        row_number() over (
            partition by history.opportunity_id order by history.entered_at
        ) as stage_number
    from history
    inner join opportunities on history.opportunity_id = opportunities.opportunity_id
)

select
    opportunity_id,
    stage,
    stage_number,
    entered_at,
    left_at,
    {{ dbt.datediff('entered_at', 'left_at', 'day') }} as days_in_stage  -- noqa: LT05
from sequenced
