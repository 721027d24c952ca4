-- One row per SDR->AE handoff, with the lead judged against the strict qualification
-- rules as it stood when it was sent (docs/kpi-catalogue.md, Strict qualification criteria).
with handoffs as (select * from {{ ref('stg_crm__lead_handoffs') }}),
lead_versions as (select * from {{ ref('int_leads__versioned') }}),
leads as (select * from {{ ref('stg_crm__leads') }}),
users as (select * from {{ ref('int_users__versioned') }}),
all_rules as (select * from {{ ref('qualification_rules') }}),
all_target_industries as (select * from {{ ref('qualification_target_industries') }}),

rules as (
    select * from all_rules
    where ruleset_version = '{{ var("qualification_ruleset") }}'
),

target_industries as (
    select lower(industry) as industry
    from all_target_industries
    where ruleset_version = '{{ var("qualification_ruleset") }}'
),

lead_at_send as (
    -- the latest version with updated_at <= sent_at, else the earliest; a deleted lead
    -- has no versions and so is never qualified
    select
        handoffs.handoff_id,
        lead_versions.lead_id is not null as lead_exists,
        lead_versions.budget_confirmed,
        lead_versions.authority_confirmed,
        lead_versions.need_confirmed,
        lead_versions.timing_confirmed,
        lead_versions.employee_count,
        lower(lead_versions.industry) as industry
    from handoffs
    left join lead_versions
        on handoffs.lead_id = lead_versions.lead_id
        and {{ in_force('lead_versions', 'handoffs.sent_at') }}
),

judged as (
    select
        lead_at_send.handoff_id,
        rules.ruleset_version,
        lead_at_send.lead_exists
        and (not rules.require_budget or coalesce(lead_at_send.budget_confirmed, false))
        and (not rules.require_authority or coalesce(lead_at_send.authority_confirmed, false))
        and (not rules.require_need or coalesce(lead_at_send.need_confirmed, false))
        and (not rules.require_timing or coalesce(lead_at_send.timing_confirmed, false))
        and coalesce(lead_at_send.employee_count, -1) >= rules.min_employee_count
        and (
            not exists (select 1 from target_industries)
            or lead_at_send.industry in (select target_industries.industry from target_industries)
        ) as is_qualified_at_send
    from lead_at_send
    cross join rules
),

final as (
    select
        handoffs.handoff_id,
        handoffs.lead_id,
        handoffs.sdr_user_id,
        handoffs.ae_user_id,
        sdr.role as sdr_role_at_send,
        coalesce(sdr.team_id, 'unassigned') as sdr_team_id,
        coalesce(ae.team_id, 'unassigned') as ae_team_id,
        handoffs.sent_at,
        {{ month_of('handoffs.sent_at') }} as sent_month,
        coalesce(handoffs.decision, 'pending') as decision,
        handoffs.decided_at,
        handoffs.decision = 'accepted' as is_accepted,
        handoffs.decision = 'rejected' as is_rejected,
        case
            when handoffs.decision = 'rejected'
                then coalesce(nullif(trim(handoffs.rejection_reason), ''), 'unspecified')
        end as rejection_reason,
        handoffs.feedback,
        handoffs.opportunity_id,
        leads.source as lead_source,
        judged.is_qualified_at_send,
        judged.ruleset_version as qualification_ruleset
    from handoffs
    inner join judged on handoffs.handoff_id = judged.handoff_id
    left join leads on handoffs.lead_id = leads.lead_id
    left join users as sdr
        on handoffs.sdr_user_id = sdr.user_id
        and {{ in_force('sdr', 'handoffs.sent_at') }}
    left join users as ae
        on handoffs.ae_user_id = ae.user_id
        and {{ in_force('ae', 'handoffs.sent_at') }}
)

select * from final
