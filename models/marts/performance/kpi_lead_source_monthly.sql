-- Per lead source x lead-creation month (a cohort): how many leads the source brought,
-- how many were sent strictly qualified, became opportunities, and what those won.
-- The marketing-to-sales alignment view (docs/kpi-catalogue.md, lead_source_quality).
with leads as (select * from {{ ref('int_leads__outcomes') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
months as (select * from {{ ref('int_months') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

spine as (
    select
        sources.lead_source,
        months.month_start as month
    from (select distinct lead_source from leads) as sources
    cross join months
),

cohorts as (
    select
        spine.lead_source,
        spine.month,
        count(leads.lead_id) as leads_created,
        count(case when leads.was_sent then 1 end) as leads_sent,
        count(case when leads.was_sent_qualified then 1 end) as leads_sent_qualified,
        count(case when leads.has_opportunity then 1 end) as leads_converted
    from spine
    left join leads
        on spine.lead_source = leads.lead_source
        and spine.month = leads.created_month
    group by spine.lead_source, spine.month
),

outcomes as (
    -- every deal from the cohort's leads, to date
    select
        spine.lead_source,
        spine.month,
        count(case when opportunities.is_won then 1 end) as deals_won,
        count(case when opportunities.is_lost then 1 end) as deals_lost,
        {{ sum_known('opportunities.won_amount', 'opportunities.is_won') }} as revenue
    from spine
    left join leads
        on spine.lead_source = leads.lead_source
        and spine.month = leads.created_month
    left join opportunities on leads.lead_id = opportunities.lead_id
    group by spine.lead_source, spine.month
),

joined as (
    -- an entity never delivered leaves its numbers NULL, and so the rates over them
    select
        cohorts.lead_source,
        cohorts.month,
        cohorts.leads_created,
        case when deliveries.has_lead_handoffs then cohorts.leads_sent end as leads_sent,
        case when deliveries.has_lead_handoffs then cohorts.leads_sent_qualified end
            as leads_sent_qualified,
        case when deliveries.has_opportunities then cohorts.leads_converted end
            as leads_converted,
        case when deliveries.has_opportunities then outcomes.deals_won end as deals_won,
        case when deliveries.has_opportunities then outcomes.deals_lost end as deals_lost,
        case when deliveries.has_opportunities then outcomes.revenue end as revenue
    from cohorts
    cross join deliveries
    inner join outcomes
        on cohorts.lead_source = outcomes.lead_source
        and cohorts.month = outcomes.month
),

final as (
    select
        lead_source,
        month,
        leads_created,
        leads_sent,
        leads_sent_qualified,
        {{ kpi('qualified_share') }} as qualified_share,
        leads_converted,
        {{ kpi('lead_to_opportunity_rate') }} as lead_to_opportunity_rate,
        deals_won,
        deals_lost,
        {{ kpi('win_rate') }} as win_rate,
        {{ as_money('revenue') }} as revenue
    from joined
)

select * from final
