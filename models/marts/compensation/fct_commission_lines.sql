-- Every line of every commission statement (docs/kpi-catalogue.md, Compensation): a credit
-- under the plan in force on its date, at its rate, with what the cap took back, and the
-- clawback of an undone deal in the month it became known. Bookings pay marginally by
-- tier: deals apply in close-date order, and the part of a deal that lands between two
-- attainment thresholds is paid at that tier's rate, so a deal crossing 100 % splits into
-- two lines. Without a quota there is no attainment: bookings pay the plain rate.
with credits as (select * from {{ ref('fct_commission_credits') }}),
plan_periods as (select * from {{ ref('int_comp_plan_periods') }}),
plans as (select * from {{ ref('stg_crm__comp_plans') }}),
tiers as (select * from {{ ref('stg_crm__comp_plan_tiers') }}),

credited as (
    -- each credit under the plan the user served on its date
    select
        credits.*,
        plan_periods.assignment_id,
        plan_periods.plan_id,
        plan_periods.period_start,
        plan_periods.prorated_quota_amount,
        plan_periods.cap_amount,
        plan_periods.commission_rate,
        plan_periods.expansion_rate,
        plan_periods.renewal_rate,
        plan_periods.sourced_won_rate,
        plan_periods.manager_override_rate,
        plan_periods.per_accepted_handoff,
        plan_periods.clawback_days
    from credits
    inner join plan_periods
        on credits.credited_user_id = plan_periods.user_id
        and credits.credit_date >= plan_periods.served_from
        and credits.credit_date < plan_periods.served_to
),

components as (
    -- a deal won with an unknown amount earns nothing knowable: it has no line
    select
        credited.*,
        'bookings' as component,
        credited.commission_rate as rate
    from credited
    where
        credited.credit_type = 'owner'
        and credited.commission_rate is not null
        and credited.credited_amount is not null
    union all
    select
        credited.*,
        'expansion' as component,
        expansion_rate as rate
    from credited
    where credit_type = 'owner' and opportunity_type = 'upsell' and expansion_rate is not null
        and credited_amount is not null
    union all
    select
        credited.*,
        'renewal' as component,
        renewal_rate as rate
    from credited
    where credit_type = 'owner' and opportunity_type = 'renewal' and renewal_rate is not null
        and credited_amount is not null
    union all
    select
        credited.*,
        'sourced_won' as component,
        sourced_won_rate as rate
    from credited
    where credit_type = 'sourcing_sdr' and sourced_won_rate is not null
        and credited_amount is not null
    union all
    select
        credited.*,
        'manager_override' as component,
        manager_override_rate as rate
    from credited
    where credit_type = 'manager_override' and manager_override_rate is not null
        and credited_amount is not null
    union all
    select
        credited.*,
        'accepted_handoffs' as component,
        per_accepted_handoff as rate
    from credited
    where credit_type = 'accepted_handoff' and per_accepted_handoff is not null
),

plan_tiers as (
    -- below a plan's first threshold (or with no tiers at all) the plain rate applies
    select
        plan_id,
        from_attainment,
        rate_multiplier
    from tiers
    union all
    select
        plans.plan_id,
        0.0 as from_attainment,
        1.0 as rate_multiplier
    from plans
    where not exists (
            select 1 from tiers
            where tiers.plan_id = plans.plan_id and tiers.from_attainment <= 0
        )
),

tier_ranges as (
    select
        plan_id,
        from_attainment,
        rate_multiplier,
        lead(from_attainment) over (partition by plan_id order by from_attainment)
            as to_attainment
    from plan_tiers
),

bookings_in_order as (
    select
        components.*,
        coalesce(sum(components.credited_amount) over (
            partition by components.assignment_id, components.period_start
            order by components.credit_date, components.opportunity_id
            rows between unbounded preceding and 1 preceding
        ), 0) as credited_before
    from components
    where components.component = 'bookings'
),

bookings_by_tier as (
    -- the part of the deal between the tier's two thresholds (as amounts of the quota)
    select
        bookings_in_order.*,
        tier_ranges.from_attainment as tier_from_attainment,
        tier_ranges.rate_multiplier,
        greatest(
            bookings_in_order.credited_before,
            tier_ranges.from_attainment * bookings_in_order.prorated_quota_amount
        ) as slice_from,
        least(
            bookings_in_order.credited_before + bookings_in_order.credited_amount,
            coalesce(
                tier_ranges.to_attainment * bookings_in_order.prorated_quota_amount,
                bookings_in_order.credited_before + bookings_in_order.credited_amount
            )
        ) as slice_to
    from bookings_in_order
    inner join tier_ranges on bookings_in_order.plan_id = tier_ranges.plan_id
    where bookings_in_order.prorated_quota_amount > 0
),

flat_credits as (
    -- every other component, and bookings when there is no quota to attain
    select
        components.*,
        cast(null as double) as credited_before
    from components
    where components.component <> 'bookings'
    union all
    select bookings_in_order.*
    from bookings_in_order
    where not coalesce(bookings_in_order.prorated_quota_amount > 0, false)
),

sliced as (
    -- one shape for both: a flat line is a single slice at the plain rate
    select bookings_by_tier.*
    from bookings_by_tier
    where bookings_by_tier.slice_to > bookings_by_tier.slice_from
    union all
    select
        flat_credits.*,
        cast(null as double) as tier_from_attainment,
        1.0 as rate_multiplier,
        cast(null as double) as slice_from,
        cast(null as double) as slice_to
    from flat_credits
),

line_amounts as (
    select
        credited_user_id as user_id,
        assignment_id,
        plan_id,
        period_start,
        component,
        credit_id,
        opportunity_id,
        handoff_id,
        credit_date,
        credit_month,
        undone_on,
        undone_reason,
        clawback_days,
        cap_amount,
        case
            when component = 'accepted_handoffs' then 1
            when slice_from is not null then slice_to - slice_from
            else credited_amount
        end as credited_amount,
        tier_from_attainment,
        rate * rate_multiplier as rate,
        slice_from / prorated_quota_amount as attainment_from,
        slice_to / prorated_quota_amount as attainment_to
    from sliced
),

earned_lines as (
    select
        line_amounts.*,
        line_amounts.credited_amount * line_amounts.rate as earned
    from line_amounts
),

capped as (
    -- the cap bounds the plan period's variable pay: lines pay in order until it is reached
    select
        earned_lines.*,
        case
            when earned_lines.cap_amount is null then 0
            else greatest(0, least(
                    earned_lines.earned,
                    earned_lines.cap_amount - coalesce(sum(earned_lines.earned) over (
                        partition by earned_lines.assignment_id, earned_lines.period_start
                        order by
                            earned_lines.credit_date,
                            earned_lines.component,
                            earned_lines.credit_id,
                            earned_lines.tier_from_attainment
                        rows between unbounded preceding and 1 preceding
                    ), 0)
                )) - earned_lines.earned
        end as cap_adjustment,
        {{ dbt.datediff('earned_lines.credit_date', 'earned_lines.undone_on', 'day') }}
            as days_until_undone
    from earned_lines
),

clawbacks as (
    -- what was paid on a deal undone within the plan's clawback window, taken back in
    -- the month that became known
    select
        user_id,
        assignment_id,
        plan_id,
        period_start,
        component,
        credit_id,
        opportunity_id,
        handoff_id,
        credit_date,
        cast({{ dbt.date_trunc('month', 'undone_on') }} as date) as statement_month,
        undone_reason,
        sum(earned + cap_adjustment) as clawback
    from capped
    where
        undone_on is not null
        and clawback_days is not null
        and days_until_undone <= clawback_days
    group by
        user_id, assignment_id, plan_id, period_start, component, credit_id, opportunity_id,
        handoff_id, credit_date, undone_on, undone_reason
),

lines as (
    select
        user_id,
        assignment_id,
        plan_id,
        period_start,
        credit_month as statement_month,
        'earned' as line_type,
        component,
        credit_id,
        opportunity_id,
        handoff_id,
        credit_date,
        cast(null as {{ dbt.type_string() }}) as undone_reason,
        credited_amount,
        tier_from_attainment,
        rate,
        attainment_from,
        attainment_to,
        earned,
        cap_adjustment,
        0.0 as clawback
    from capped
    union all
    select
        user_id,
        assignment_id,
        plan_id,
        period_start,
        statement_month,
        'clawback' as line_type,
        component,
        credit_id,
        opportunity_id,
        handoff_id,
        credit_date,
        undone_reason,
        cast(null as double) as credited_amount,
        cast(null as double) as tier_from_attainment,
        cast(null as double) as rate,
        cast(null as double) as attainment_from,
        cast(null as double) as attainment_to,
        0.0 as earned,
        0.0 as cap_adjustment,
        clawback
    from clawbacks
),

final as (
    select
        {{ dbt.concat([
            'assignment_id', "':'", 'credit_id', "':'", 'component', "':'", 'line_type', "':'",
            "coalesce(cast(tier_from_attainment as " ~ dbt.type_string() ~ "), '-')"
        ]) }} as line_id,
        user_id,
        statement_month,
        plan_id,
        assignment_id,
        period_start as plan_period_start,
        line_type,
        component,
        credit_id,
        opportunity_id,
        handoff_id,
        credit_date,
        undone_reason,
        credited_amount,
        tier_from_attainment,
        rate,
        attainment_from,
        attainment_to,
        {{ as_money('earned') }} as earned,
        {{ as_money('cap_adjustment') }} as cap_adjustment,
        {{ as_money('clawback') }} as clawback,
        {{ as_money('earned + cap_adjustment - clawback') }} as net_amount,
        row_number() over (
            partition by user_id, statement_month
            order by
                line_type desc,
                credit_date asc,
                component asc,
                credit_id asc,
                tier_from_attainment asc
        ) as line_number
    from lines
)

select * from final
