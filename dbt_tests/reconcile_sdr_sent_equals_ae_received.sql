-- Each month, the handoffs SDRs sent are the handoffs AEs received, and both marts count
-- every handoff of the fact exactly once (the AE mart those addressed to known AEs).
{{ config(meta={'dagster': {'ref': {'name': 'kpi_ae_monthly'}}}) }}
with sdr as (
    select
        month,
        sum(leads_sent) as sent,
        sum(handoffs_accepted) as accepted,
        sum(handoffs_rejected) as rejected
    from {{ ref('kpi_sdr_monthly') }}
    group by month
),

ae as (
    select
        month,
        sum(handoffs_received) as sent,
        sum(handoffs_accepted) as accepted,
        sum(handoffs_rejected) as rejected
    from {{ ref('kpi_ae_monthly') }}
    group by month
),

fact as (
    -- a handoff counts for the AE mart when its AE is a delivered user who was ever an
    -- AE; one addressed to a user not delivered yet (or never an AE) counts for the SDR
    -- only, until that user arrives
    select
        handoffs.sent_month as month,
        count(*) as sent,
        count(case when handoffs.is_accepted then 1 end) as accepted,
        count(case when handoffs.is_rejected then 1 end) as rejected,
        count(case when reps.was_ever_ae then 1 end) as sent_to_aes,
        count(case when reps.was_ever_ae and handoffs.is_accepted then 1 end)
            as accepted_by_aes,
        count(case when reps.was_ever_ae and handoffs.is_rejected then 1 end)
            as rejected_by_aes
    from {{ ref('fct_lead_handoffs') }} as handoffs
    inner join {{ ref('int_months') }} as months on handoffs.sent_month = months.month_start
    left join {{ ref('dim_reps') }} as reps on handoffs.ae_user_id = reps.user_id
    group by handoffs.sent_month
)

select fact.month
from fact
full outer join sdr on fact.month = sdr.month
full outer join ae on coalesce(fact.month, sdr.month) = ae.month
where coalesce(fact.sent, 0) != coalesce(sdr.sent, 0)
    or coalesce(fact.sent_to_aes, 0) != coalesce(ae.sent, 0)
    or coalesce(fact.accepted, 0) != coalesce(sdr.accepted, 0)
    or coalesce(fact.accepted_by_aes, 0) != coalesce(ae.accepted, 0)
    or coalesce(fact.rejected, 0) != coalesce(sdr.rejected, 0)
    or coalesce(fact.rejected_by_aes, 0) != coalesce(ae.rejected, 0)
