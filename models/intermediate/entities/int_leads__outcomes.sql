-- One row per live lead: its cohort (creation month, source, the owner's team then) and
-- what became of it: sent, sent while strictly qualified, turned into an opportunity.
with leads as (select * from {{ ref('stg_crm__leads') }}),
users as (select * from {{ ref('int_users__versioned') }}),
handoffs as (select * from {{ ref('fct_lead_handoffs') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),

sent as (
    select
        lead_id,
        count(*) as handoffs_sent,
        count(case when is_qualified_at_send then 1 end) as qualified_handoffs_sent
    from handoffs
    group by lead_id
),

converted as (
    select distinct lead_id from opportunities
    where lead_id is not null
)

select
    leads.lead_id,
    leads.source as lead_source,
    leads.owner_user_id,
    coalesce(owner_then.team_id, 'unassigned') as owner_team_id,
    leads.created_at,
    {{ month_of('leads.created_at') }} as created_month,
    coalesce(sent.handoffs_sent, 0) > 0 as was_sent,
    coalesce(sent.qualified_handoffs_sent, 0) > 0 as was_sent_qualified,
    converted.lead_id is not null as has_opportunity
from leads
left join sent on leads.lead_id = sent.lead_id
left join converted on leads.lead_id = converted.lead_id
left join users as owner_then
    on leads.owner_user_id = owner_then.user_id
    and {{ in_force('owner_then', 'leads.created_at') }}
