-- One row per live lead as it stands now. Email and phone only as the salted hashes
-- staging made of them.
with leads as (select * from {{ ref('stg_crm__leads') }}),
outcomes as (select * from {{ ref('int_leads__outcomes') }})

select
    leads.lead_id,
    leads.owner_user_id,
    leads.source as lead_source,
    leads.company_name,
    leads.industry,
    leads.employee_count,
    leads.status,
    leads.account_id,
    leads.created_at,
    outcomes.created_month,
    outcomes.owner_team_id,
    outcomes.was_sent,
    outcomes.was_sent_qualified,
    outcomes.has_opportunity,
    leads.email_hash,
    leads.phone_hash
from leads
inner join outcomes on leads.lead_id = outcomes.lead_id
