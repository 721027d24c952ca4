{#- Company and team sales performance (docs/kpi-catalogue.md, "Company and team sales
    performance").

    kpi_company_monthly and kpi_team_monthly are the same formulas at two grains, so the
    formulas live here once. With by_team, every event counts for the team its rep belonged to
    at the time: a deal as of its close date (created deals: as of creation), a call as of the
    call, a lead as of its creation; reps count in every team they were in during the month.
    Costs are company-wide only. -#}
{% macro sales_performance(by_team=false) %}
{%- set keys = ['team_id', 'month'] if by_team else ['month'] -%}

with opportunities as (select * from {{ ref('fct_opportunities') }}),
-- calls come counted per rep, team and day: a scan of ~10x fewer rows than the fact
activities as (select * from {{ ref('int_activities__daily') }}),
leads as (select * from {{ ref('int_leads__outcomes') }}),
role_months as (select * from {{ ref('int_users__role_months') }}),
months as (select * from {{ ref('int_months') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),
{%- if by_team %}
teams as (select * from {{ ref('stg_crm__teams') }}),
-- the team's name beside the id, so a BI question needs no join to dim_teams
team_names as (select team_id, team_name from {{ ref('dim_teams') }}),
{%- else %}
costs as (select * from {{ ref('stg_crm__costs') }}),
{%- endif %}

{% if by_team -%}
team_ids as (
    -- every known team, plus 'unassigned' and unknown ids that work was attributed to
    select team_id from teams
    union select team_id_at_creation from opportunities
    union select team_id_at_close from opportunities where team_id_at_close is not null
    union select team_id from activities
    union select owner_team_id from leads
    union select team_id from role_months
),

spine as (
    select team_ids.team_id, months.month_start as month
    from team_ids
    cross join months
),
{%- else -%}
spine as (
    select month_start as month from months
),
{%- endif %}

closed_deals as (
    select
        {{ spine_keys(keys) }},
        {{ sum_known('opportunities.won_amount', 'opportunities.is_won') }} as revenue,
        count(case when opportunities.is_won then 1 end) as deals_won,
        count(case when opportunities.is_lost then 1 end) as deals_lost,
        cast(coalesce(
            sum(case when opportunities.is_won then opportunities.sales_cycle_days end), 0
        ) as bigint) as sales_cycle_days_total,
        count(distinct case when opportunities.is_won then opportunities.customer_account_id end)
            as customers,
        count(opportunities.opportunity_id) as opportunities_closed,
        cast(coalesce(sum(opportunities.calls_logged), 0) as bigint)
            as calls_on_closed_opportunities
    from spine
    left join opportunities
        on spine.month = opportunities.close_month
        {%- if by_team %} and spine.team_id = opportunities.team_id_at_close{% endif %}
    group by {{ spine_keys(keys) }}
),

first_wins as (
    -- an account becomes a customer with its first won new-business deal
    select *
    from (
        select
            *,
            row_number() over (
                partition by customer_account_id order by close_date, opportunity_id
            ) as win_number
        from opportunities
        where is_won and opportunity_type = 'new_business' and customer_account_id is not null
    ) as ranked
    where win_number = 1
),

new_customers as (
    select
        {{ spine_keys(keys) }},
        count(first_wins.customer_account_id) as new_customers
    from spine
    left join first_wins
        on spine.month = first_wins.close_month
        {%- if by_team %} and spine.team_id = first_wins.team_id_at_close{% endif %}
    group by {{ spine_keys(keys) }}
),

created_deals as (
    select
        {{ spine_keys(keys) }},
        count(opportunities.opportunity_id) as opportunities_created,
        count(case when opportunities.is_won then 1 end) as opportunities_won_to_date
    from spine
    left join opportunities
        on spine.month = opportunities.created_month
        {%- if by_team %} and spine.team_id = opportunities.team_id_at_creation{% endif %}
    group by {{ spine_keys(keys) }}
),

lead_cohorts as (
    select
        {{ spine_keys(keys) }},
        count(leads.lead_id) as leads_created,
        count(case when leads.has_opportunity then 1 end) as leads_converted
    from spine
    left join leads
        on spine.month = leads.created_month
        {%- if by_team %} and spine.team_id = leads.owner_team_id{% endif %}
    group by {{ spine_keys(keys) }}
),

calls_made as (
    select
        {{ spine_keys(keys) }},
        cast(coalesce(sum(activities.activities), 0) as bigint) as calls
    from spine
    left join activities
        on spine.month = activities.activity_month
        and activities.activity_type = 'call'
        {%- if by_team %} and spine.team_id = activities.team_id{% endif %}
    group by {{ spine_keys(keys) }}
),

reps as (
    select
        {{ spine_keys(keys) }},
        count(distinct case when role_months.role in ('AE', 'AM') then role_months.user_id end)
            as quota_carrying_reps,
        count(distinct case
            when role_months.role in ('SDR', 'AE', 'AM') then role_months.user_id
        end) as active_reps
    from spine
    left join role_months
        on spine.month = role_months.month_start
        {%- if by_team %} and spine.team_id = role_months.team_id{% endif %}
    group by {{ spine_keys(keys) }}
),

{% if not by_team -%}
cost_lines as (
    -- converted at the month's last day
    select
        spine.month,
        {{ sum_known(
            in_reporting_currency('costs.amount', 'costs.currency', 'fx'),
            "costs.category in ('sales', 'marketing')"
        ) }} as sales_and_marketing_cost,
        coalesce(bool_or({{ fx_rate_missing('costs.amount', 'costs.currency', 'fx') }}), false)
            as is_fx_rate_missing
    from spine
    inner join months on spine.month = months.month_start
    left join costs on spine.month = cast({{ dbt.date_trunc('month', 'costs.month') }} as date)
    {{ fx_join('fx', 'costs.currency', 'months.month_end') }}
    group by spine.month
),
{%- endif %}

joined as (
    select
        {{ spine_keys(keys) }},
        -- an entity never delivered is unknown, not zero
        case when deliveries.has_opportunities then closed_deals.revenue end as revenue,
        case when deliveries.has_opportunities then closed_deals.deals_won end as deals_won,
        case when deliveries.has_opportunities then closed_deals.deals_lost end as deals_lost,
        case when deliveries.has_opportunities then closed_deals.sales_cycle_days_total end
            as sales_cycle_days_total,
        case when deliveries.has_opportunities then closed_deals.customers end as customers,
        case when deliveries.has_opportunities then closed_deals.opportunities_closed end
            as opportunities_closed,
        case when deliveries.has_opportunities and deliveries.has_activities
                then closed_deals.calls_on_closed_opportunities end
            as calls_on_closed_opportunities,
        case when deliveries.has_opportunities then new_customers.new_customers end
            as new_customers,
        case when deliveries.has_opportunities then created_deals.opportunities_created end
            as opportunities_created,
        case when deliveries.has_opportunities then created_deals.opportunities_won_to_date end
            as opportunities_won_to_date,
        case when deliveries.has_leads then lead_cohorts.leads_created end as leads_created,
        case when deliveries.has_leads and deliveries.has_opportunities
                then lead_cohorts.leads_converted end as leads_converted,
        case when deliveries.has_activities then calls_made.calls end as calls,
        case when deliveries.has_users then reps.quota_carrying_reps end as quota_carrying_reps,
        case when deliveries.has_users then reps.active_reps end as active_reps
        {%- if not by_team %},
        case when deliveries.has_costs then cost_lines.sales_and_marketing_cost end
            as sales_and_marketing_cost
        {%- endif %}
    from spine
    cross join deliveries
    inner join closed_deals using ({{ keys | join(', ') }})
    inner join new_customers using ({{ keys | join(', ') }})
    inner join created_deals using ({{ keys | join(', ') }})
    inner join lead_cohorts using ({{ keys | join(', ') }})
    inner join calls_made using ({{ keys | join(', ') }})
    inner join reps using ({{ keys | join(', ') }})
    {%- if not by_team %}
    inner join cost_lines using (month)
    {%- endif %}
),

final as (
    select
        {{ keys | join(', ') }},
        {%- if by_team %}
        team_names.team_name,
        {%- endif %}
        {{ as_money('revenue') }} as revenue,
        deals_won,
        deals_lost,
        {{ safe_divide('deals_won', 'deals_won + deals_lost') }} as win_rate,
        sales_cycle_days_total,
        {{ safe_divide('sales_cycle_days_total', 'deals_won') }} as avg_sales_cycle_days,
        opportunities_created,
        opportunities_won_to_date,
        {{ safe_divide('opportunities_won_to_date', 'opportunities_created') }}
            as opportunity_conversion_rate,
        leads_created,
        leads_converted,
        {{ safe_divide('leads_converted', 'leads_created') }} as lead_to_opportunity_rate,
        quota_carrying_reps,
        {{ as_money(safe_divide('revenue', 'quota_carrying_reps')) }} as revenue_per_rep,
        opportunities_closed,
        calls_on_closed_opportunities,
        {{ safe_divide('calls_on_closed_opportunities', 'opportunities_closed') }}
            as calls_per_opportunity,
        calls,
        active_reps,
        {{ safe_divide('calls', 'active_reps') }} as calls_per_rep,
        customers,
        {{ as_money(safe_divide('revenue', 'customers')) }} as avg_basket_per_customer,
        new_customers
        {%- if not by_team %},
        {{ as_money('sales_and_marketing_cost') }} as sales_and_marketing_cost,
        {{ as_money(safe_divide('sales_and_marketing_cost', 'new_customers')) }} as cac
        {%- endif %}
    from joined
    {%- if by_team %}
    left join team_names using (team_id)
    {%- endif %}
)

select * from final
{% endmacro %}

{% macro spine_keys(keys) -%}
    {%- for k in keys %}spine.{{ k }}{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}
