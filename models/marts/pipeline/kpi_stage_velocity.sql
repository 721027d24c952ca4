-- Time in stage by the month a stay ended (docs/kpi-catalogue.md, Pipeline and forecast),
-- for the company, each team, rep, lead source and creation cohort: the median and 75th
-- percentile of completed stays, in days.
with stays as (
    select * from {{ ref('fct_opportunity_stage_history') }}
    where not is_closing_stay and left_at is not null
),

sliced as (
    {{ stage_review_slices('stays') }}
),

final as (
    select
        left_month,
        stage,
        dimension,
        dimension_value,
        count(*) as stays_completed,
        {{ percentile('days_in_stage', 0.5) }} as median_days_in_stage,
        {{ percentile('days_in_stage', 0.75) }} as p75_days_in_stage
    from sliced
    group by left_month, stage, dimension, dimension_value
)

select * from final
