-- Each month, the handoffs SDRs sent are the handoffs AEs received, and both marts count
-- every handoff of the fact exactly once.
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
    select
        handoffs.sent_month as month,
        count(*) as sent,
        count(case when handoffs.is_accepted then 1 end) as accepted,
        count(case when handoffs.is_rejected then 1 end) as rejected
    from {{ ref('fct_lead_handoffs') }} as handoffs
    inner join {{ ref('int_months') }} as months on handoffs.sent_month = months.month_start
    group by handoffs.sent_month
)

select fact.month
from fact
full outer join sdr on fact.month = sdr.month
full outer join ae on coalesce(fact.month, sdr.month) = ae.month
where coalesce(fact.sent, 0) != coalesce(sdr.sent, 0)
    or coalesce(fact.sent, 0) != coalesce(ae.sent, 0)
    or coalesce(fact.accepted, 0) != coalesce(sdr.accepted, 0)
    or coalesce(fact.accepted, 0) != coalesce(ae.accepted, 0)
    or coalesce(fact.rejected, 0) != coalesce(sdr.rejected, 0)
    or coalesce(fact.rejected, 0) != coalesce(ae.rejected, 0)
