-- The numerators and denominators of company and team sales performance, kept per month
-- for every team and for the company: kpi_team_monthly and kpi_company_monthly divide
-- them (docs/kpi-catalogue.md, "Company and team sales performance").
-- Every event counts twice, for its team and for the company. A team's work is its reps'
-- while they were in it: a deal counts for the team of its rep as of its close (created
-- deals: as of creation), a call as of the call, a lead as of its creation; a rep counts
-- in every team they were in during the month. The company counts each deal, customer and
-- rep once, so its distinct counts are not sums of the teams'.
-- An entity never delivered leaves its numbers NULL: unknown, not zero.
with opportunities as (select * from {{ ref('fct_opportunities') }}),
-- calls come counted per rep, team and day: a scan of ~10x fewer rows than the fact
activities as (select * from {{ ref('int_activities__daily') }}),
leads as (select * from {{ ref('int_leads__outcomes') }}),
role_months as (select * from {{ ref('int_users__role_months') }}),
teams as (select * from {{ ref('stg_crm__teams') }}),
months as (select * from {{ ref('int_months') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

team_ids as (
    -- every known team, plus 'unassigned' and unknown ids that work was attributed to
    select team_id from teams
    union
    select team_id_at_creation from opportunities
    union
    select team_id_at_close from opportunities
    where team_id_at_close is not null
    union
    select team_id from activities
    union
    select owner_team_id from leads
    union
    select team_id from role_months
),

spine as (
    select
        'team' as scope,
        team_ids.team_id as scope_id,
        months.month_start as month
    from team_ids
    cross join months
    union all
    select
        'company' as scope,
        'company' as scope_id,
        month_start as month
    from months
),

scoped_opportunities as (
    select
        'team' as scope,
        opportunities.team_id_at_close as closed_by,
        opportunities.team_id_at_creation as created_by,
        opportunities.*
    from opportunities
    union all
    select
        'company' as scope,
        'company' as closed_by,
        'company' as created_by,
        opportunities.*
    from opportunities
),

scoped_leads as (
    select
        'team' as scope,
        leads.owner_team_id as scope_id,
        leads.*
    from leads
    union all
    select
        'company' as scope,
        'company' as scope_id,
        leads.*
    from leads
),

scoped_calls as (
    select
        'team' as scope,
        team_id as scope_id,
        activity_month,
        activities
    from activities
    where activity_type = 'call'
    union all
    select
        'company' as scope,
        'company' as scope_id,
        activity_month,
        activities
    from activities
    where activity_type = 'call'
),

scoped_role_months as (
    select
        'team' as scope,
        role_months.team_id as scope_id,
        role_months.*
    from role_months
    union all
    select
        'company' as scope,
        'company' as scope_id,
        role_months.*
    from role_months
),

closed_deals as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        {{ sum_known('deals.won_amount', 'deals.is_won') }} as revenue,
        count(case when deals.is_won then 1 end) as deals_won,
        count(case when deals.is_lost then 1 end) as deals_lost,
        cast(coalesce(sum(case when deals.is_won then deals.sales_cycle_days end), 0) as bigint)
            as sales_cycle_days_total,
        count(distinct case when deals.is_won then deals.customer_account_id end) as customers,
        count(deals.opportunity_id) as opportunities_closed,
        cast(coalesce(sum(deals.calls_logged), 0) as bigint) as calls_on_closed_opportunities
    from spine
    left join scoped_opportunities as deals
        on spine.scope = deals.scope
        and spine.scope_id = deals.closed_by
        and spine.month = deals.close_month
    group by spine.scope, spine.scope_id, spine.month
),

first_wins as (
    -- an account becomes a customer with its first won new-business deal
    select *
    from (
        select
            *,
            row_number() over (
                partition by scope, customer_account_id order by close_date, opportunity_id
            ) as win_number
        from scoped_opportunities
        where is_won and opportunity_type = 'new_business' and customer_account_id is not null
    ) as ranked
    where win_number = 1
),

new_customers as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        count(first_wins.customer_account_id) as new_customers
    from spine
    left join first_wins
        on spine.scope = first_wins.scope
        and spine.scope_id = first_wins.closed_by
        and spine.month = first_wins.close_month
    group by spine.scope, spine.scope_id, spine.month
),

created_deals as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        count(deals.opportunity_id) as opportunities_created,
        count(case when deals.is_won then 1 end) as opportunities_won_to_date
    from spine
    left join scoped_opportunities as deals
        on spine.scope = deals.scope
        and spine.scope_id = deals.created_by
        and spine.month = deals.created_month
    group by spine.scope, spine.scope_id, spine.month
),

lead_cohorts as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        count(scoped_leads.lead_id) as leads_created,
        count(case when scoped_leads.has_opportunity then 1 end) as leads_converted
    from spine
    left join scoped_leads
        on spine.scope = scoped_leads.scope
        and spine.scope_id = scoped_leads.scope_id
        and spine.month = scoped_leads.created_month
    group by spine.scope, spine.scope_id, spine.month
),

calls_made as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        cast(coalesce(sum(scoped_calls.activities), 0) as bigint) as calls
    from spine
    left join scoped_calls
        on spine.scope = scoped_calls.scope
        and spine.scope_id = scoped_calls.scope_id
        and spine.month = scoped_calls.activity_month
    group by spine.scope, spine.scope_id, spine.month
),

reps as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        count(distinct case when reps.role in ('AE', 'AM') then reps.user_id end)
            as quota_carrying_reps,
        count(distinct case when reps.role in ('SDR', 'AE', 'AM') then reps.user_id end)
            as active_reps
    from spine
    left join scoped_role_months as reps
        on spine.scope = reps.scope
        and spine.scope_id = reps.scope_id
        and spine.month = reps.month_start
    group by spine.scope, spine.scope_id, spine.month
),

final as (
    select
        spine.scope,
        spine.scope_id,
        spine.month,
        case when deliveries.has_opportunities then closed_deals.revenue end as revenue,
        case when deliveries.has_opportunities then closed_deals.deals_won end as deals_won,
        case when deliveries.has_opportunities then closed_deals.deals_lost end as deals_lost,
        case when deliveries.has_opportunities then closed_deals.sales_cycle_days_total end
            as sales_cycle_days_total,
        case when deliveries.has_opportunities then closed_deals.customers end as customers,
        case when deliveries.has_opportunities then closed_deals.opportunities_closed end
            as opportunities_closed,
        case
            when deliveries.has_opportunities and deliveries.has_activities
                then closed_deals.calls_on_closed_opportunities
        end as calls_on_closed_opportunities,
        case when deliveries.has_opportunities then new_customers.new_customers end
            as new_customers,
        case when deliveries.has_opportunities then created_deals.opportunities_created end
            as opportunities_created,
        case when deliveries.has_opportunities then created_deals.opportunities_won_to_date end
            as opportunities_won_to_date,
        case when deliveries.has_leads then lead_cohorts.leads_created end as leads_created,
        case
            when deliveries.has_leads and deliveries.has_opportunities
                then lead_cohorts.leads_converted
        end as leads_converted,
        case when deliveries.has_activities then calls_made.calls end as calls,
        case when deliveries.has_users then reps.quota_carrying_reps end as quota_carrying_reps,
        case when deliveries.has_users then reps.active_reps end as active_reps
    from spine
    cross join deliveries
    inner join closed_deals using (scope, scope_id, month)
    inner join new_customers using (scope, scope_id, month)
    inner join created_deals using (scope, scope_id, month)
    inner join lead_cohorts using (scope, scope_id, month)
    inner join calls_made using (scope, scope_id, month)
    inner join reps using (scope, scope_id, month)
)

select * from final
