-- One row per SDR per month (docs/kpi-catalogue.md, SDR). Every ratio ships with its numerator and
-- denominator so roll-ups recompute it from sums.
with role_months as (select * from {{ ref('int_users__role_months') }}),
months as (select * from {{ ref('int_months') }}),
handoffs as (select * from {{ ref('fct_lead_handoffs') }}),
activities as (select * from {{ ref('int_activities__daily') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),
reps as (select * from {{ ref('dim_reps') }}),

sdr_months as (
    -- held the SDR role on some day of the month while employed, sent a handoff in the
    -- month (a promoted SDR handing over a last lead still sent it), or sourced an
    -- opportunity created or won in the month
    select
        user_id as sdr_user_id,
        month_start as month
    from role_months
    where role = 'SDR'
    union
    select
        sdr_user_id,
        sent_month
    from handoffs
    union
    select
        sourcing_sdr_user_id,
        created_month
    from opportunities
    where sourcing_sdr_user_id is not null
    union
    select
        sourcing_sdr_user_id,
        close_month
    from opportunities
    where sourcing_sdr_user_id is not null and is_won
),

spine as (
    select sdr_months.*
    from sdr_months
    inner join months on sdr_months.month = months.month_start
),

handoffs_sent as (
    select
        spine.sdr_user_id,
        spine.month,
        count(handoffs.handoff_id) as leads_sent,
        count(case when handoffs.is_qualified_at_send then 1 end) as qualified_leads_sent,
        count(case when handoffs.is_accepted then 1 end) as handoffs_accepted,
        count(case when handoffs.is_rejected then 1 end) as handoffs_rejected
    from spine
    left join handoffs
        on spine.sdr_user_id = handoffs.sdr_user_id
        and spine.month = handoffs.sent_month
    group by spine.sdr_user_id, spine.month
),

calls_made as (
    -- only the calls made while the user was an SDR
    select
        spine.sdr_user_id,
        spine.month,
        cast(coalesce(sum(activities.activities), 0) as bigint) as calls
    from spine
    left join activities
        on spine.sdr_user_id = activities.user_id
        and spine.month = activities.activity_month
        and activities.activity_type = 'call'
        and activities.role = 'SDR'
    group by spine.sdr_user_id, spine.month
),

sourced_pipeline as (
    select
        spine.sdr_user_id,
        spine.month,
        {{ sum_known('opportunities.pipeline_amount', 'opportunities.opportunity_id is not null') }}
            as sourced_pipeline_amount
    from spine
    left join opportunities
        on spine.sdr_user_id = opportunities.sourcing_sdr_user_id
        and spine.month = opportunities.created_month
    group by spine.sdr_user_id, spine.month
),

sourced_won as (
    select
        spine.sdr_user_id,
        spine.month,
        {{ sum_known('opportunities.won_amount', 'opportunities.opportunity_id is not null') }}
            as sourced_won_amount
    from spine
    left join opportunities
        on spine.sdr_user_id = opportunities.sourcing_sdr_user_id
        and spine.month = opportunities.close_month
        and opportunities.is_won
    group by spine.sdr_user_id, spine.month
),

rep_names as (
    -- the rep's name beside the id, so a BI question needs no join to dim_reps
    select
        user_id as sdr_user_id,
        full_name as rep_name
    from reps
),

joined as (
    select
        spine.sdr_user_id,
        spine.month,
        rep_names.rep_name,
        -- an entity never delivered is unknown, not zero
        case when deliveries.has_lead_handoffs then handoffs_sent.leads_sent end as leads_sent,
        case when deliveries.has_lead_handoffs then handoffs_sent.qualified_leads_sent end
            as qualified_leads_sent,
        case when deliveries.has_activities then calls_made.calls end as calls,
        case when deliveries.has_lead_handoffs then handoffs_sent.handoffs_accepted end
            as handoffs_accepted,
        case when deliveries.has_lead_handoffs then handoffs_sent.handoffs_rejected end
            as handoffs_rejected,
        case when deliveries.has_opportunities then sourced_pipeline.sourced_pipeline_amount end
            as sourced_pipeline_amount,
        case when deliveries.has_opportunities then sourced_won.sourced_won_amount end
            as sourced_won_amount
    from spine
    cross join deliveries
    inner join handoffs_sent using (sdr_user_id, month)
    inner join calls_made using (sdr_user_id, month)
    inner join sourced_pipeline using (sdr_user_id, month)
    inner join sourced_won using (sdr_user_id, month)
    left join rep_names using (sdr_user_id)
),

final as (
    select
        sdr_user_id,
        month,
        rep_name,
        leads_sent,
        qualified_leads_sent,
        {{ kpi('qualified_lead_rate') }} as qualified_lead_rate,
        calls,
        {{ kpi('qualification_efficiency') }} as qualification_efficiency,
        handoffs_accepted,
        handoffs_rejected,
        {{ kpi_part('handoffs_decided') }} as handoffs_decided,
        {{ kpi('acceptance_rate') }} as acceptance_rate,
        {{ as_money('sourced_pipeline_amount') }} as sourced_pipeline_amount,
        {{ as_money('sourced_won_amount') }} as sourced_won_amount,
        '{{ var("qualification_ruleset") }}' as qualification_ruleset
    from joined
)

select * from final
