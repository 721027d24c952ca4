-- One row per team per month: team sales performance (docs/kpi-catalogue.md, Company and
-- team). The team's numerators and denominators, each event counted for the team its rep
-- belonged to at the time, come kept from int_sales_performance__monthly; each rate is
-- the KPI's one definition (macros/kpis.sql) over them.
with performance as (
    select * from {{ ref('int_sales_performance__monthly') }}
    where scope = 'team'
),

-- the team's name beside the id, so a BI question needs no join to dim_teams
team_names as (
    select
        team_id,
        team_name
    from {{ ref('dim_teams') }}
),

named as (
    select
        performance.*,
        team_names.team_name
    from performance
    left join team_names on performance.scope_id = team_names.team_id
),

final as (
    select
        scope_id as team_id,
        month,
        team_name,
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
        new_customers
    from named
)

select * from final
