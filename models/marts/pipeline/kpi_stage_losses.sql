-- Deals lost by the last open stage they reached and the reason given, by close month
-- (docs/kpi-catalogue.md, Pipeline and forecast), for the company, each team, rep, lead
-- source and creation cohort. A lost deal without stage history is lost 'unknown'.
with stays as (select * from {{ ref('fct_opportunity_stage_history') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
leads as (select * from {{ ref('stg_crm__leads') }}),

last_open_stay as (
    select
        stays.opportunity_id,
        stays.stage,
        row_number() over (
            partition by stays.opportunity_id order by stays.entered_at desc
        ) as latest_first
    from stays
    where not stays.is_closing_stay
),

lost as (
    select
        opportunities.opportunity_id,
        opportunities.close_month,
        opportunities.closed_amount,
        coalesce(opportunities.loss_reason, 'unknown') as loss_reason,
        coalesce(last_open_stay.stage, 'unknown') as lost_at_stage,
        opportunities.owner_user_id,
        coalesce(opportunities.team_id_at_close, 'unassigned') as team_id,
        coalesce(leads.source, 'none') as lead_source,
        opportunities.created_month
    from opportunities
    left join last_open_stay
        on opportunities.opportunity_id = last_open_stay.opportunity_id
        and last_open_stay.latest_first = 1
    left join leads on opportunities.lead_id = leads.lead_id
    where opportunities.is_lost
),

sliced as (
    {{ stage_review_slices('lost') }}
),

final as (
    select
        close_month,
        lost_at_stage,
        loss_reason,
        dimension,
        dimension_value,
        count(*) as deals_lost,
        {{ as_money(sum_known('closed_amount')) }} as lost_amount
    from sliced
    group by close_month, lost_at_stage, loss_reason, dimension, dimension_value
)

select * from final
