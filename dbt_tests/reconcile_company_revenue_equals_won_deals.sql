-- Company revenue over the period is every won amount closed in the period, and equals
-- the AE bookings plus the deals owned by users who were never AEs. The marts round each
-- amount to the cent, so a sum of n of them may be off by n half-cents, and no more.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_company_monthly'}}}) }}
with won as (
    select sum(opportunities.won_amount) as amount
    from {{ ref('fct_opportunities') }} as opportunities
    inner join {{ ref('int_months') }} as months on opportunities.close_month = months.month_start
    where opportunities.is_won
),

company as (
    select
        sum(revenue) as amount,
        0.005 * count(*) as rounding
    from {{ ref('kpi_company_monthly') }}
),

ae as (
    select
        sum(bookings_amount) as amount,
        0.005 * count(*) as rounding
    from {{ ref('kpi_ae_monthly') }}
),

never_ae as (
    select sum(opportunities.won_amount) as amount
    from {{ ref('fct_opportunities') }} as opportunities
    inner join {{ ref('int_months') }} as months on opportunities.close_month = months.month_start
    where opportunities.is_won and not opportunities.is_owner_ever_ae
)

select
    company.amount as company_revenue,
    won.amount as won_amount
from company
cross join won
cross join ae
cross join never_ae
where abs(coalesce(company.amount, 0) - coalesce(won.amount, 0)) > company.rounding + 1e-6
    or abs(coalesce(company.amount, 0) - coalesce(ae.amount, 0) - coalesce(never_ae.amount, 0))
    > company.rounding + ae.rounding + 1e-6
