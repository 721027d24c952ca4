-- Per AE x SDR x reason x month (by sent_at): how many handoffs the AE rejected and why.
-- The coaching conversation "why did you accept this one and reject that one".
with handoffs as (select * from {{ ref('fct_lead_handoffs') }}),
months as (select * from {{ ref('int_months') }})

select
    handoffs.ae_user_id,
    handoffs.sdr_user_id,
    handoffs.rejection_reason,
    handoffs.sent_month as month,
    count(*) as rejections,
    count(case when handoffs.is_qualified_at_send then 1 end) as rejections_of_qualified_leads
from handoffs
inner join months on handoffs.sent_month = months.month_start
where handoffs.is_rejected
group by handoffs.ae_user_id, handoffs.sdr_user_id, handoffs.rejection_reason, handoffs.sent_month
