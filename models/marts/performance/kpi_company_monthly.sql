-- One row per month: company sales performance (docs/kpi-catalogue.md, Company and team).
-- The company's numerators and denominators come kept from int_sales_performance__monthly
-- (every deal, customer and rep counted once); each rate is the KPI's one definition
-- (macros/kpis.sql) over them. Costs, and so CAC, are company-wide only; when comp plans
-- are delivered, the commission expense is a sales cost too.
with performance as (
    select * from {{ ref('int_sales_performance__monthly') }}
    where scope = 'company'
),

costs as (select * from {{ ref('stg_crm__costs') }}),
months as (select * from {{ ref('int_months') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),
commissions as (
    select * from {{ ref('kpi_commission_expense') }}
    where scope = 'company'
),

monthly_costs as (
    -- converted at the month's last day
    select
        months.month_start as month,
        {{ sum_known(
            in_reporting_currency('costs.amount', 'costs.currency', 'fx'),
            "costs.category in ('sales', 'marketing')"
        ) }} as sales_and_marketing_cost
    from months
    left join costs
        on months.month_start = cast({{ dbt.date_trunc('month', 'costs.month') }} as date)
    {{ fx_join('fx', 'costs.currency', 'months.month_end') }}
    group by months.month_start
),

with_costs as (
    select
        performance.*,
        commissions.commission_expense,
        deliveries.has_costs and deliveries.has_comp_plans as includes_commission_expense,
        case
            when deliveries.has_costs
                then monthly_costs.sales_and_marketing_cost
                    + coalesce(commissions.commission_expense, 0)
        end as sales_and_marketing_cost
    from performance
    cross join deliveries
    inner join monthly_costs on performance.month = monthly_costs.month
    left join commissions on performance.month = commissions.month
),

final as (
    select
        month,
        {{ as_money('revenue') }} as revenue,
        deals_won,
        deals_lost,
        {{ kpi('win_rate') }} as win_rate,
        sales_cycle_days_total,
        {{ kpi('avg_sales_cycle_days') }} as avg_sales_cycle_days,
        opportunities_created,
        opportunities_won_to_date,
        {{ kpi('opportunity_conversion_rate') }} as opportunity_conversion_rate,
        leads_created,
        leads_converted,
        {{ kpi('lead_to_opportunity_rate') }} as lead_to_opportunity_rate,
        quota_carrying_reps,
        {{ kpi('revenue_per_rep') }} as revenue_per_rep,
        opportunities_closed,
        calls_on_closed_opportunities,
        {{ kpi('calls_per_opportunity') }} as calls_per_opportunity,
        calls,
        active_reps,
        {{ kpi('calls_per_rep') }} as calls_per_rep,
        customers,
        {{ kpi('avg_basket_per_customer') }} as avg_basket_per_customer,
        new_customers,
        commission_expense,
        includes_commission_expense,
        {{ as_money('sales_and_marketing_cost') }} as sales_and_marketing_cost,
        {{ kpi('cac') }} as cac
    from with_costs
)

select * from final
