-- Every additive team measure sums to the company figure of the month: no work is lost
-- or double-counted by team attribution ('unassigned' included). Revenue is rounded to the
-- cent in every row, so the teams' sum may differ from the company's by a half-cent a row.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_company_monthly'}}}) }}
{% set additive = ['deals_won', 'deals_lost', 'sales_cycle_days_total', 'opportunities_created',
                   'opportunities_won_to_date', 'leads_created', 'leads_converted',
                   'opportunities_closed', 'calls_on_closed_opportunities', 'calls',
                   'new_customers'] %}
with teams as (
    select
        month,
        {% for m in additive -%}
            sum({{ m }}) as {{ m }},
        {% endfor -%}
        sum(revenue) as revenue,
        0.005 * (count(*) + 1) as rounding
    from {{ ref('kpi_team_monthly') }}
    group by month
),

company as (select * from {{ ref('kpi_company_monthly') }})

select company.month
from company
left join teams on company.month = teams.month
where abs(coalesce(company.revenue, 0) - coalesce(teams.revenue, 0))
    > coalesce(teams.rounding, 0.005) + 1e-6
    {%- for m in additive %}
        or coalesce(company.{{ m }}, -1) != coalesce(teams.{{ m }}, -1)
    {%- endfor %}
