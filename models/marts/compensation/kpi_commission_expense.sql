-- The company's and each team's commission expense per month (docs/kpi-catalogue.md,
-- Compensation): variable pay (earned, less what caps took back and what was clawed back),
-- each rep counted in their team at the month's end. Without comp plans delivered the
-- expense is unknown: NULL, not 0.
with compensation as (select * from {{ ref('kpi_compensation_monthly') }}),
months as (select * from {{ ref('int_months') }}),
users as (select * from {{ ref('int_users__versioned') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

rep_months as (
    select
        compensation.month,
        coalesce(team_then.team_id, 'unassigned') as team_id,
        compensation.variable_pay,
        compensation.base_pay
    from compensation
    inner join months on compensation.month = months.month_start
    left join users as team_then
        on compensation.user_id = team_then.user_id
        and {{ in_force('team_then', 'months.month_end_at') }}
),

scoped as (
    select
        'company' as scope,
        'company' as scope_id,
        rep_months.*
    from rep_months
    union all
    select
        'team' as scope,
        rep_months.team_id as scope_id,
        rep_months.*
    from rep_months
),

company_months as (
    -- every month has a company row: 0 when plans are delivered and nothing was earned
    select
        'company' as scope,
        'company' as scope_id,
        months.month_start as month
    from months
    union
    select
        scope,
        scope_id,
        month
    from scoped
),

final as (
    select
        company_months.month,
        company_months.scope,
        company_months.scope_id,
        deliveries.has_comp_plans as are_comp_plans_delivered,
        case when deliveries.has_comp_plans then
                {{ as_money('coalesce(sum(scoped.variable_pay), 0)') }}
        end as commission_expense,
        case when deliveries.has_comp_plans then
                {{ as_money('coalesce(sum(scoped.base_pay), 0)') }}
        end as base_pay
    from company_months
    cross join deliveries
    left join scoped
        on company_months.scope = scoped.scope
        and company_months.scope_id = scoped.scope_id
        and company_months.month = scoped.month
    group by
        company_months.month,
        company_months.scope,
        company_months.scope_id,
        deliveries.has_comp_plans
)

select * from final
