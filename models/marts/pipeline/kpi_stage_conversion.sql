-- Stage-to-stage conversion by the month a stage was entered (docs/kpi-catalogue.md,
-- Pipeline and forecast), for the company, each team, rep, lead source and creation
-- cohort: of the stays that have ended, the share that went on to a later stage or a win.
with stays as (
    select * from {{ ref('fct_opportunity_stage_history') }}
    where not is_closing_stay
),

sliced as (
    {{ stage_review_slices('stays') }}
),

counted as (
    select
        entered_month,
        stage,
        dimension,
        dimension_value,
        count(*) as stays_entered,
        count(case when has_moved_on then 1 end) as stays_moved_on,
        count(case when is_converted then 1 end) as stays_converted
    from sliced
    group by entered_month, stage, dimension, dimension_value
),

final as (
    select
        entered_month,
        stage,
        dimension,
        dimension_value,
        stays_entered,
        stays_moved_on,
        stays_converted,
        {{ kpi('stage_conversion_rate') }} as stage_conversion_rate
    from counted
)

select * from final
