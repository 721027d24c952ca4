-- The commission statement (docs/kpi-catalogue.md, Compensation): per rep, month and
-- component, what was credited at each tier and rate, what it earned, what the cap took
-- back and what was clawed back. The lines behind each row are in fct_commission_lines.
with lines as (select * from {{ ref('fct_commission_lines') }}),
users as (select * from {{ ref('stg_crm__users') }}),

final as (
    select
        lines.user_id,
        users.full_name as rep_name,
        lines.statement_month,
        lines.plan_id,
        lines.component,
        lines.line_type,
        lines.tier_from_attainment,
        lines.rate,
        count(*) as lines,
        sum(lines.credited_amount) as credited_amount,
        {{ as_money('sum(lines.earned)') }} as earned,
        {{ as_money('sum(lines.cap_adjustment)') }} as cap_adjustment,
        {{ as_money('sum(lines.clawback)') }} as clawback,
        {{ as_money('sum(lines.net_amount)') }} as net_amount
    from lines
    left join users on lines.user_id = users.user_id
    group by
        lines.user_id,
        users.full_name,
        lines.statement_month,
        lines.plan_id,
        lines.component,
        lines.line_type,
        lines.tier_from_attainment,
        lines.rate
)

select * from final
