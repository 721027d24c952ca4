-- The accepted SDR handoff each opportunity was sourced by (docs/kpi-catalogue.md, Opportunities):
-- the handoff the opportunity names when that one was accepted, otherwise the most
-- recent accepted handoff naming the opportunity.
with opportunities as (select * from {{ ref('stg_crm__opportunities') }}),
handoffs as (select * from {{ ref('stg_crm__lead_handoffs') }}),

accepted as (
    select * from handoffs
    where decision = 'accepted'
),

named_by_opportunity as (
    select
        opportunities.opportunity_id,
        accepted.handoff_id,
        accepted.sdr_user_id
    from opportunities
    inner join accepted on opportunities.handoff_id = accepted.handoff_id
),

naming_the_opportunity as (
    select
        opportunity_id,
        handoff_id,
        sdr_user_id,
        row_number() over (
            partition by opportunity_id order by {{ version_order(true) }}
        ) as recency
    from accepted
    where opportunity_id is not null
)

select
    opportunities.opportunity_id,
    coalesce(named_by_opportunity.handoff_id, naming_the_opportunity.handoff_id)
        as sourcing_handoff_id,
    coalesce(named_by_opportunity.sdr_user_id, naming_the_opportunity.sdr_user_id)
        as sourcing_sdr_user_id
from opportunities
left join named_by_opportunity
    on opportunities.opportunity_id = named_by_opportunity.opportunity_id
left join naming_the_opportunity
    on opportunities.opportunity_id = naming_the_opportunity.opportunity_id
    and naming_the_opportunity.recency = 1
where coalesce(named_by_opportunity.handoff_id, naming_the_opportunity.handoff_id) is not null
