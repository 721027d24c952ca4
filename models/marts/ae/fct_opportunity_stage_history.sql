-- Each stage a live opportunity entered (a stay), how long it stayed and what came next:
-- the grain of the stage funnel and velocity (docs/kpi-catalogue.md, Pipeline and
-- forecast). A stay converted when a later stay is in a later open stage (the seed's
-- stage_order) or the deal was won; it has moved on when a later stay exists or the deal
-- closed. The last stay of a closed deal is its closing stage, not a stage of the funnel.
with history as (select * from {{ ref('stg_crm__opportunity_stage_history') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),
users as (select * from {{ ref('int_users__versioned') }}),
leads as (select * from {{ ref('stg_crm__leads') }}),
stage_order as (select * from {{ ref('stage_probabilities') }}),

sequenced as (
    select
        history.opportunity_id,
        history.stage,
        history.entered_at,
        stage_order.stage_order,
        lead(history.entered_at) over (
            partition by history.opportunity_id order by history.entered_at
        ) as left_at,
        row_number() over (
            partition by history.opportunity_id order by history.entered_at
        ) as stage_number,
        max(stage_order.stage_order) over (
            partition by history.opportunity_id order by history.entered_at
            rows between 1 following and unbounded following
        ) as highest_later_order
    from history
    inner join opportunities on history.opportunity_id = opportunities.opportunity_id
    left join stage_order on history.stage = stage_order.stage
),

final as (
    select
        sequenced.opportunity_id,
        sequenced.stage,
        sequenced.stage_number,
        sequenced.entered_at,
        sequenced.left_at,
        {{ dbt.datediff('sequenced.entered_at', 'sequenced.left_at', 'day') }}
            as days_in_stage,
        {{ month_of('sequenced.entered_at') }} as entered_month,
        {{ month_of('sequenced.left_at') }} as left_month,
        sequenced.stage_order,
        opportunities.is_closed and sequenced.left_at is null as is_closing_stay,
        sequenced.left_at is not null or opportunities.is_closed as has_moved_on,
        (opportunities.is_closed and opportunities.is_won)
        or coalesce(sequenced.highest_later_order > sequenced.stage_order, false) as is_converted,
        opportunities.owner_user_id,
        coalesce(owner_then.team_id, 'unassigned') as team_id,
        coalesce(leads.source, 'none') as lead_source,
        {{ month_of('opportunities.created_at') }} as created_month
    from sequenced
    inner join opportunities on sequenced.opportunity_id = opportunities.opportunity_id
    left join users as owner_then
        on opportunities.owner_user_id = owner_then.user_id
        and {{ in_force('owner_then', 'sequenced.entered_at') }}
    left join leads on opportunities.lead_id = leads.lead_id
)

select * from final
