-- One row per AE per month (docs/kpi-catalogue.md, AE). Deals are the AE's when they own the
-- opportunity (latest version); handoffs by the month they were sent.
with role_months as (select * from {{ ref('int_users__role_months') }}),
months as (select * from {{ ref('int_months') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
handoffs as (select * from {{ ref('fct_lead_handoffs') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),
reps as (select * from {{ ref('dim_reps') }}),

ae_months as (
    -- held the AE role on some day of the month while employed, or was ever an AE and
    -- owns an opportunity created or closed in the month or received a handoff in it
    select
        user_id as ae_user_id,
        month_start as month
    from role_months
    where role = 'AE'
    union
    select
        handoffs.ae_user_id,
        handoffs.sent_month
    from handoffs
    inner join reps on handoffs.ae_user_id = reps.user_id
    where reps.was_ever_ae
    union
    select
        owner_user_id,
        created_month
    from opportunities
    where is_owner_ever_ae
    union
    select
        owner_user_id,
        close_month
    from opportunities
    where is_owner_ever_ae and is_closed
),

spine as (
    select
        ae_months.*,
        months.month_end
    from ae_months
    inner join months on ae_months.month = months.month_start
),

worked as (
    -- open at some moment of the month: created by its end, not closed before its start
    select
        spine.ae_user_id,
        spine.month,
        count(opportunities.opportunity_id) as opportunities_worked
    from spine
    left join opportunities
        on spine.ae_user_id = opportunities.owner_user_id
        and spine.month_end >= opportunities.created_date
        and (not opportunities.is_closed or spine.month <= opportunities.close_date)
    group by spine.ae_user_id, spine.month
),

closed as (
    select
        spine.ae_user_id,
        spine.month,
        count(case when opportunities.is_won then 1 end) as deals_won,
        count(case when opportunities.is_lost then 1 end) as deals_lost,
        {{ sum_known('opportunities.won_amount', 'opportunities.is_won') }} as bookings_amount,
        cast(coalesce(
            sum(case when opportunities.is_won then opportunities.sales_cycle_days end), 0
        ) as bigint) as sales_cycle_days_total,
        count(opportunities.opportunity_id) as opportunities_closed,
        cast(coalesce(sum(opportunities.calls_logged), 0) as bigint)
            as calls_on_closed_opportunities
    from spine
    left join opportunities
        on spine.ae_user_id = opportunities.owner_user_id
        and spine.month = opportunities.close_month
    group by spine.ae_user_id, spine.month
),

received as (
    select
        spine.ae_user_id,
        spine.month,
        count(handoffs.handoff_id) as handoffs_received,
        count(case when handoffs.is_accepted then 1 end) as handoffs_accepted,
        count(case when handoffs.is_rejected then 1 end) as handoffs_rejected
    from spine
    left join handoffs
        on spine.ae_user_id = handoffs.ae_user_id
        and spine.month = handoffs.sent_month
    group by spine.ae_user_id, spine.month
),

rep_names as (
    -- the rep's name beside the id, so a BI question needs no join to dim_reps
    select
        user_id as ae_user_id,
        full_name as rep_name
    from reps
),

joined as (
    select
        spine.ae_user_id,
        spine.month,
        rep_names.rep_name,
        case when deliveries.has_opportunities then worked.opportunities_worked end
            as opportunities_worked,
        case when deliveries.has_opportunities then closed.deals_won end as deals_won,
        case when deliveries.has_opportunities then closed.deals_lost end as deals_lost,
        case when deliveries.has_opportunities then closed.bookings_amount end
            as bookings_amount,
        case when deliveries.has_opportunities then closed.sales_cycle_days_total end
            as sales_cycle_days_total,
        case when deliveries.has_lead_handoffs then received.handoffs_received end
            as handoffs_received,
        case when deliveries.has_lead_handoffs then received.handoffs_accepted end
            as handoffs_accepted,
        case when deliveries.has_lead_handoffs then received.handoffs_rejected end
            as handoffs_rejected,
        case when deliveries.has_opportunities then closed.opportunities_closed end
            as opportunities_closed,
        case when deliveries.has_activities then closed.calls_on_closed_opportunities end
            as calls_on_closed_opportunities
    from spine
    cross join deliveries
    inner join worked using (ae_user_id, month)
    inner join closed using (ae_user_id, month)
    inner join received using (ae_user_id, month)
    left join rep_names using (ae_user_id)
),

final as (
    select
        ae_user_id,
        month,
        rep_name,
        opportunities_worked,
        deals_won,
        deals_lost,
        {{ kpi('close_rate') }} as close_rate,
        {{ kpi('win_rate') }} as win_rate,
        {{ as_money('bookings_amount') }} as bookings_amount,
        {{ kpi('avg_deal_size') }} as avg_deal_size,
        sales_cycle_days_total,
        {{ kpi('avg_sales_cycle_days') }} as avg_sales_cycle_days,
        handoffs_received,
        handoffs_accepted,
        handoffs_rejected,
        opportunities_closed,
        calls_on_closed_opportunities,
        {{ kpi('calls_per_opportunity') }} as calls_per_opportunity
    from joined
)

select * from final
