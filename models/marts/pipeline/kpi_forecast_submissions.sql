-- Submitted forecasts against actual bookings (docs/kpi-catalogue.md, Pipeline and
-- forecast): per submitter, grain and period, the latest commit, best case and pipeline
-- call submitted before the period started, and what was booked. A manager's call is for
-- the team they manage, a rep's for their own deals. Calls convert at the submission date.
with submissions as (select * from {{ ref('stg_crm__forecast_submissions') }}),
periods as (select * from {{ ref('int_pipeline_periods') }}),
teams as (select * from {{ ref('stg_crm__teams') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

converted as (
    select
        submissions.submitter_user_id,
        submissions.grain as period_grain,
        {{ period_start_of('submissions.grain', 'submissions.period_start') }} as period_start,
        submissions.category,
        submissions.submitted_at,
        {{ in_reporting_currency('submissions.amount', 'submissions.currency', 'fx') }} as amount
    from submissions
    {{ fx_join('fx', 'submissions.currency', local_date('submissions.submitted_at')) }}
),

before_start as (
    -- a call made once the period has begun is not a forecast of it
    select
        converted.*,
        row_number() over (
            partition by
                converted.submitter_user_id,
                converted.period_grain,
                converted.period_start,
                converted.category
            order by converted.submitted_at desc
        ) as latest_first
    from converted
    where {{ local_date('converted.submitted_at') }} < converted.period_start
),

calls as (
    select
        submitter_user_id,
        period_grain,
        period_start,
        max(case when category = 'commit' then amount end) as commit_amount,
        max(case when category = 'best_case' then amount end) as best_case_amount,
        max(case when category = 'pipeline' then amount end) as pipeline_call_amount,
        max(submitted_at) as last_submitted_at
    from before_start
    where latest_first = 1
    group by submitter_user_id, period_grain, period_start
),

managed as (
    select
        manager_user_id,
        min(team_id) as team_id
    from teams
    where manager_user_id is not null
    group by manager_user_id
),

actuals as (
    select
        calls.submitter_user_id,
        calls.period_grain,
        calls.period_start,
        sum(opportunities.won_amount) as bookings_amount
    from calls
    inner join periods
        on calls.period_grain = periods.period_grain
        and calls.period_start = periods.period_start
    left join managed on calls.submitter_user_id = managed.manager_user_id
    inner join opportunities
        on opportunities.is_won
        and periods.period_start <= opportunities.close_date
        and periods.period_end > opportunities.close_date
        and (
            (managed.team_id is null and calls.submitter_user_id = opportunities.owner_user_id)
            or managed.team_id = opportunities.team_id_at_close
        )
    group by calls.submitter_user_id, calls.period_grain, calls.period_start
),

final as (
    select
        calls.submitter_user_id,
        case when managed.team_id is not null then 'team' else 'user' end as forecast_scope,
        coalesce(managed.team_id, calls.submitter_user_id) as forecast_scope_id,
        calls.period_grain,
        calls.period_start,
        periods.is_complete,
        {{ as_money('calls.commit_amount') }} as commit_amount,
        {{ as_money('calls.best_case_amount') }} as best_case_amount,
        {{ as_money('calls.pipeline_call_amount') }} as pipeline_call_amount,
        calls.last_submitted_at,
        -- bookings are NULL without opportunities, and final only once the period is over
        case
            when deliveries.has_opportunities
                then {{ as_money('coalesce(actuals.bookings_amount, 0)') }}
        end as bookings_amount,
        case when periods.is_complete and deliveries.has_opportunities then {{ kpi(
            'forecast_attainment',
            {'bookings_amount': 'coalesce(actuals.bookings_amount, 0)',
             'commit_amount': 'calls.commit_amount'}
        ) }} end as forecast_attainment
    from calls
    cross join deliveries
    left join periods
        on calls.period_grain = periods.period_grain
        and calls.period_start = periods.period_start
    left join managed on calls.submitter_user_id = managed.manager_user_id
    left join actuals
        on calls.submitter_user_id = actuals.submitter_user_id
        and calls.period_grain = actuals.period_grain
        and calls.period_start = actuals.period_start
)

select * from final
