-- The statistical forecast of each month's and quarter's bookings, made as of the
-- period's start, and its back-test (docs/kpi-catalogue.md, Pipeline and forecast), for
-- the company and each team. Forecast = Σ over the deals expected in the period of amount
-- x their stage's rate of being won inside the period they were expected in, plus the
-- mean bookings from deals created and won inside one period, both over the 12 months
-- before the period. Stage rates are the company's (a team has too few deals per stage).
with periods as (select * from {{ ref('int_pipeline_periods') }}),
period_bounds as (select * from {{ ref('int_reporting_period') }}),
outcomes as (select * from {{ ref('fct_pipeline_period_outcomes') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

history_windows as (
    -- for each period, the earlier periods of its grain inside the 12 months before it
    select
        periods.period_grain,
        periods.period_start,
        earlier.period_start as earlier_start,
        earlier.period_end as earlier_end
    from periods
    inner join periods as earlier
        on periods.period_grain = earlier.period_grain
        and periods.period_start >= earlier.period_end
        and earlier.period_start
        >= cast({{ dbt.dateadd('month', -12, 'periods.period_start') }} as date)
),

stage_rates as (
    select
        history_windows.period_grain,
        history_windows.period_start,
        outcomes.stage_at_start as stage,
        count(*) as expected_then,
        count(case when outcomes.is_won_in_period then 1 end) as won_inside_then
    from history_windows
    inner join outcomes
        on history_windows.period_grain = outcomes.period_grain
        and history_windows.earlier_start = outcomes.period_start
    group by history_windows.period_grain, history_windows.period_start, outcomes.stage_at_start
),

expected_scoped as (
    select
        'team' as scope,
        outcomes.owner_team_id as scope_id,
        outcomes.*
    from outcomes
    union all
    select
        'company' as scope,
        'company' as scope_id,
        outcomes.*
    from outcomes
),

from_pipeline as (
    select
        expected_scoped.period_grain,
        expected_scoped.period_start,
        expected_scoped.scope,
        expected_scoped.scope_id,
        sum(
            cast(expected_scoped.amount_at_start as decimal(38, 6))
            * coalesce(cast(stage_rates.won_inside_then as double) / stage_rates.expected_then, 0)
        ) as forecast_from_pipeline
    from expected_scoped
    left join stage_rates
        on expected_scoped.period_grain = stage_rates.period_grain
        and expected_scoped.period_start = stage_rates.period_start
        and expected_scoped.stage_at_start = stage_rates.stage
    group by
        expected_scoped.period_grain,
        expected_scoped.period_start,
        expected_scoped.scope,
        expected_scoped.scope_id
),

won as (
    select
        opportunities.*,
        opportunities.team_id_at_close as team_id
    from opportunities
    where opportunities.is_won
),

won_scoped as (
    select
        'team' as scope,
        won.team_id as scope_id,
        won.*
    from won
    union all
    select
        'company' as scope,
        'company' as scope_id,
        won.*
    from won
),

bookings as (
    select
        periods.period_grain,
        periods.period_start,
        won_scoped.scope,
        won_scoped.scope_id,
        coalesce(sum(won_scoped.won_amount), 0) as bookings_amount,
        coalesce(sum(case
            when won_scoped.created_date >= periods.period_start then won_scoped.won_amount
        end), 0) as created_and_won_amount
    from periods
    inner join won_scoped
        on periods.period_start <= won_scoped.close_date
        and periods.period_end > won_scoped.close_date
    group by periods.period_grain, periods.period_start, won_scoped.scope, won_scoped.scope_id
),

scopes as (
    select distinct
        scope,
        scope_id
    from expected_scoped
    union
    select distinct
        scope,
        scope_id
    from bookings
),

new_deal_trend as (
    -- mean over the window's periods, a period with none counting as 0
    select
        history_windows.period_grain,
        history_windows.period_start,
        scopes.scope,
        scopes.scope_id,
        avg(coalesce(bookings.created_and_won_amount, 0)) as created_and_won_mean
    from history_windows
    cross join scopes
    left join bookings
        on history_windows.period_grain = bookings.period_grain
        and history_windows.earlier_start = bookings.period_start
        and scopes.scope = bookings.scope
        and scopes.scope_id = bookings.scope_id
    group by
        history_windows.period_grain, history_windows.period_start, scopes.scope, scopes.scope_id
),

joined as (
    select
        periods.period_grain,
        periods.period_start,
        periods.is_complete,
        scopes.scope,
        scopes.scope_id,
        -- back-tested: over, and with 12 months of history before it
        periods.is_complete
        and periods.period_start
        >= cast({{ dbt.dateadd('month', 12, 'period_bounds.first_month') }} as date)
            as is_backtested,
        coalesce(from_pipeline.forecast_from_pipeline, 0) as forecast_from_pipeline,
        coalesce(new_deal_trend.created_and_won_mean, 0) as forecast_from_new_deals,
        case when periods.is_complete then coalesce(bookings.bookings_amount, 0) end
            as bookings_amount
    from periods
    cross join period_bounds
    cross join scopes
    inner join deliveries on deliveries.has_opportunities
    left join from_pipeline
        on periods.period_grain = from_pipeline.period_grain
        and periods.period_start = from_pipeline.period_start
        and scopes.scope = from_pipeline.scope
        and scopes.scope_id = from_pipeline.scope_id
    left join new_deal_trend
        on periods.period_grain = new_deal_trend.period_grain
        and periods.period_start = new_deal_trend.period_start
        and scopes.scope = new_deal_trend.scope
        and scopes.scope_id = new_deal_trend.scope_id
    left join bookings
        on periods.period_grain = bookings.period_grain
        and periods.period_start = bookings.period_start
        and scopes.scope = bookings.scope
        and scopes.scope_id = bookings.scope_id
),

errors as (
    select
        joined.*,
        joined.forecast_from_pipeline + joined.forecast_from_new_deals as statistical_forecast,
        case when joined.is_backtested then
                joined.forecast_from_pipeline + joined.forecast_from_new_deals
                - joined.bookings_amount
        end as forecast_error
    from joined
),

final as (
    select
        period_grain,
        period_start,
        scope,
        scope_id,
        is_complete,
        is_backtested,
        {{ as_money('forecast_from_pipeline') }} as forecast_from_pipeline,
        {{ as_money('forecast_from_new_deals') }} as forecast_from_new_deals,
        {{ as_money('statistical_forecast') }} as statistical_forecast,
        {{ as_money('bookings_amount') }} as bookings_amount,
        {{ as_money('forecast_error') }} as forecast_error,
        {{ kpi('forecast_percentage_error', {'absolute_forecast_error': 'abs(forecast_error)'}) }}
            as absolute_percentage_error,
        -- to 6 decimals: a mean of doubles differs in its last digit with the order of the rows
        round(avg({{ kpi(
            'forecast_percentage_error', {'absolute_forecast_error': 'abs(forecast_error)'}
        ) }}) over (partition by period_grain, scope, scope_id), 6) as forecast_mape
    from errors
)

select * from final
