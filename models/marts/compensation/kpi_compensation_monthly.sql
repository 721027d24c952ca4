-- Pay per rep and month (docs/kpi-catalogue.md, Compensation): base pay prorated by the
-- days served under each plan, variable pay from the statement (earned, less what the cap
-- took back and what was clawed back), and on-target earnings attainment year to date.
-- Plan money is per plan period: a quarterly plan pays a third of it a month.
with plan_periods as (select * from {{ ref('int_comp_plan_periods') }}),
lines as (select * from {{ ref('fct_commission_lines') }}),
months as (select * from {{ ref('int_months') }}),
users as (select * from {{ ref('stg_crm__users') }}),

served_months as (
    select
        plan_periods.user_id,
        months.month_start as month,
        cast({{ dbt.datediff(
            'greatest(months.month_start, plan_periods.served_from)',
            'least(' ~ dbt.dateadd('day', 1, 'months.month_end') ~ ', plan_periods.served_to)',
            'day'
        ) }} as double)
        / {{ dbt.datediff('months.month_start', dbt.dateadd('day', 1, 'months.month_end'), 'day') }}
            as month_share,
        case when plan_periods.period_grain = 'quarter' then 3 else 1 end as months_in_period,
        plan_periods.base_salary,
        plan_periods.target_variable
    from plan_periods
    inner join months
        on plan_periods.served_to > months.month_start
        and plan_periods.served_from <= months.month_end
),

pay_by_plan as (
    select
        user_id,
        month,
        sum(base_salary / months_in_period * month_share) as base_pay,
        sum(target_variable / months_in_period * month_share) as on_target_variable
    from served_months
    group by user_id, month
),

variable as (
    select
        user_id,
        statement_month as month,
        sum(earned) as commission_earned,
        sum(cap_adjustment) as cap_adjustment,
        sum(clawback) as clawback
    from lines
    group by user_id, statement_month
),

rep_months as (
    select
        user_id,
        month
    from pay_by_plan
    union
    select
        user_id,
        month
    from variable
),

monthly as (
    select
        rep_months.user_id,
        rep_months.month,
        coalesce(pay_by_plan.base_pay, 0) as base_pay,
        coalesce(pay_by_plan.on_target_variable, 0) as on_target_variable,
        coalesce(variable.commission_earned, 0) as commission_earned,
        coalesce(variable.cap_adjustment, 0) as cap_adjustment,
        coalesce(variable.clawback, 0) as clawback,
        coalesce(variable.commission_earned, 0) + coalesce(variable.cap_adjustment, 0)
        - coalesce(variable.clawback, 0) as variable_pay
    from rep_months
    left join pay_by_plan
        on rep_months.user_id = pay_by_plan.user_id and rep_months.month = pay_by_plan.month
    left join variable
        on rep_months.user_id = variable.user_id and rep_months.month = variable.month
),

to_date as (
    select
        monthly.*,
        sum(monthly.variable_pay) over (
            partition by monthly.user_id, {{ dbt.date_trunc('year', 'monthly.month') }}
            order by monthly.month
            rows between unbounded preceding and current row
        ) as variable_pay_to_date,
        sum(monthly.on_target_variable) over (
            partition by monthly.user_id, {{ dbt.date_trunc('year', 'monthly.month') }}
            order by monthly.month
            rows between unbounded preceding and current row
        ) as on_target_variable_to_date
    from monthly
),

final as (
    select
        to_date.user_id,
        users.full_name as rep_name,
        to_date.month,
        {{ as_money('to_date.base_pay') }} as base_pay,
        {{ as_money('to_date.commission_earned') }} as commission_earned,
        {{ as_money('to_date.cap_adjustment') }} as cap_adjustment,
        {{ as_money('to_date.clawback') }} as clawback,
        {{ as_money('to_date.variable_pay') }} as variable_pay,
        {{ as_money('to_date.base_pay + to_date.variable_pay') }} as compensation,
        {{ as_money('to_date.on_target_variable') }} as on_target_variable,
        {{ as_money('to_date.variable_pay_to_date') }} as variable_pay_to_date,
        {{ as_money('to_date.on_target_variable_to_date') }} as on_target_variable_to_date,
        {{ kpi('ote_attainment') }} as ote_attainment
    from to_date
    left join users on to_date.user_id = users.user_id
)

select * from final
