-- The pipeline review per month or quarter, for each rep, team and company
-- (docs/kpi-catalogue.md, Pipeline and forecast): pipeline created, deals expected at the
-- start and how many of them slipped past the period, bookings, and coverage of the
-- quota still to go at the start and, for the period under way, as of the as-of date.
with periods as (select * from {{ ref('int_pipeline_periods') }}),
period_bounds as (select * from {{ ref('int_reporting_period') }}),
outcomes as (select * from {{ ref('fct_pipeline_period_outcomes') }}),
snapshots as (select * from {{ ref('fct_pipeline_snapshots') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
goals as (select * from {{ ref('int_goals__current') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

outcomes_scoped as (
    {{ rep_team_and_company('outcomes', 'outcomes.owner_user_id', 'outcomes.owner_team_id') }}
),

expected as (
    select
        period_grain,
        period_start,
        scope,
        scope_id,
        count(*) as expected_count,
        {{ sum_known('amount_at_start') }} as expected_amount,
        count(case when is_pushed then 1 end) as pushed_count,
        {{ sum_known('amount_at_start', 'is_pushed') }} as pushed_amount
    from outcomes_scoped
    group by period_grain, period_start, scope, scope_id
),

created as (
    select
        opportunities.*,
        opportunities.team_id_at_creation as team_id
    from opportunities
),

created_scoped as (
    {{ rep_team_and_company('created', 'created.owner_user_id', 'created.team_id') }}
),

pipeline_created as (
    select
        periods.period_grain,
        periods.period_start,
        created_scoped.scope,
        created_scoped.scope_id,
        count(*) as pipeline_created_count,
        {{ sum_known('created_scoped.pipeline_amount') }} as pipeline_created_amount
    from periods
    inner join created_scoped
        on periods.period_start <= created_scoped.created_date
        and periods.period_end > created_scoped.created_date
    group by
        periods.period_grain, periods.period_start, created_scoped.scope, created_scoped.scope_id
),

won as (
    select
        opportunities.*,
        opportunities.team_id_at_close as team_id
    from opportunities
    where opportunities.is_won
),

won_scoped as (
    {{ rep_team_and_company('won', 'won.owner_user_id', 'won.team_id') }}
),

bookings as (
    select
        periods.period_grain,
        periods.period_start,
        won_scoped.scope,
        won_scoped.scope_id,
        {{ sum_known('won_scoped.won_amount') }} as bookings_amount,
        {{ sum_known(
            'won_scoped.won_amount', 'won_scoped.close_date <= period_bounds.as_of_date'
        ) }} as bookings_to_date_amount
    from periods
    cross join period_bounds
    inner join won_scoped
        on periods.period_start <= won_scoped.close_date
        and periods.period_end > won_scoped.close_date
    group by periods.period_grain, periods.period_start, won_scoped.scope, won_scoped.scope_id
),

today as (
    select snapshots.* from snapshots
    where snapshots.snapshot_grain = 'as_of'
),

today_scoped as (
    {{ rep_team_and_company('today', 'today.owner_user_id', 'today.owner_team_id') }}
),

pipeline_now as (
    -- the period under way: what is open now and expected to close inside it
    select
        periods.period_grain,
        periods.period_start,
        today_scoped.scope,
        today_scoped.scope_id,
        {{ sum_known('today_scoped.pipeline_amount') }} as pipeline_in_period_now_amount
    from periods
    inner join today_scoped
        on periods.period_start <= today_scoped.expected_close_date
        and periods.period_end > today_scoped.expected_close_date
    where periods.holds_as_of_date
    group by periods.period_grain, periods.period_start, today_scoped.scope, today_scoped.scope_id
),

quota_goals as (
    -- a quota is a goal on bookings; the company may set it on revenue, the same number
    select
        grain as period_grain,
        period_start,
        scope,
        scope_id,
        target as quota_amount,
        row_number() over (
            partition by grain, period_start, scope, scope_id
            order by case when metric = 'bookings_amount' then 0 else 1 end
        ) as preferred_first
    from goals
    where
        grain in ('month', 'quarter')
        and (metric = 'bookings_amount' or (scope = 'company' and metric = 'revenue'))
),

quotas as (
    select
        period_grain,
        period_start,
        scope,
        scope_id,
        quota_amount
    from quota_goals
    where preferred_first = 1
),

slots as (
    select
        period_grain,
        period_start,
        scope,
        scope_id
    from expected
    union
    select
        period_grain,
        period_start,
        scope,
        scope_id
    from pipeline_created
    union
    select
        period_grain,
        period_start,
        scope,
        scope_id
    from bookings
    union
    select
        period_grain,
        period_start,
        scope,
        scope_id
    from pipeline_now
    union
    select
        period_grain,
        period_start,
        scope,
        scope_id
    from quotas
),

joined as (
    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.is_complete,
        periods.holds_as_of_date,
        slots.scope,
        slots.scope_id,
        coalesce(pipeline_created.pipeline_created_count, 0) as pipeline_created_count,
        case
            when pipeline_created.scope is null then 0 else pipeline_created.pipeline_created_amount
        end as pipeline_created_amount,
        coalesce(expected.expected_count, 0) as expected_count,
        case when expected.scope is null then 0 else expected.expected_amount end
            as expected_amount,
        coalesce(expected.pushed_count, 0) as pushed_count,
        case when expected.scope is null then 0 else expected.pushed_amount end as pushed_amount,
        case when bookings.scope is null then 0 else bookings.bookings_amount end
            as bookings_amount,
        case when bookings.scope is null then 0 else bookings.bookings_to_date_amount end
            as bookings_to_date_amount,
        quotas.quota_amount,
        case
            when periods.holds_as_of_date
                then coalesce(pipeline_now.pipeline_in_period_now_amount, 0)
        end as pipeline_in_period_now_amount
    from slots
    inner join periods
        on slots.period_grain = periods.period_grain
        and slots.period_start = periods.period_start
    -- without opportunities there is no pipeline to review, not an empty one
    inner join deliveries on deliveries.has_opportunities
    left join expected
        on slots.period_grain = expected.period_grain
        and slots.period_start = expected.period_start
        and slots.scope = expected.scope
        and slots.scope_id = expected.scope_id
    left join pipeline_created
        on slots.period_grain = pipeline_created.period_grain
        and slots.period_start = pipeline_created.period_start
        and slots.scope = pipeline_created.scope
        and slots.scope_id = pipeline_created.scope_id
    left join bookings
        on slots.period_grain = bookings.period_grain
        and slots.period_start = bookings.period_start
        and slots.scope = bookings.scope
        and slots.scope_id = bookings.scope_id
    left join pipeline_now
        on slots.period_grain = pipeline_now.period_grain
        and slots.period_start = pipeline_now.period_start
        and slots.scope = pipeline_now.scope
        and slots.scope_id = pipeline_now.scope_id
    left join quotas
        on slots.period_grain = quotas.period_grain
        and slots.period_start = quotas.period_start
        and slots.scope = quotas.scope
        and slots.scope_id = quotas.scope_id
),

final as (
    select
        period_grain,
        period_start,
        period_end,
        is_complete,
        scope,
        scope_id,
        pipeline_created_count,
        {{ as_money('pipeline_created_amount') }} as pipeline_created_amount,
        expected_count,
        {{ as_money('expected_amount') }} as expected_amount,
        pushed_count,
        {{ as_money('pushed_amount') }} as pushed_amount,
        {{ kpi('slip_rate') }} as slip_rate,
        {{ as_money('bookings_amount') }} as bookings_amount,
        {{ as_money('quota_amount') }} as quota_amount,
        -- at the start nothing is booked yet: all of the quota is to go
        {{ kpi('pipeline_coverage', {
            'pipeline_in_period_amount': 'expected_amount',
            'quota_to_go': 'case when quota_amount > 0 then quota_amount end',
        }) }} as coverage_at_start,
        {{ as_money('pipeline_in_period_now_amount') }} as pipeline_in_period_now_amount,
        case when holds_as_of_date then {{ as_money('bookings_to_date_amount') }} end
            as bookings_to_date_amount,
        case when holds_as_of_date then {{ kpi('pipeline_coverage', {
            'pipeline_in_period_amount': 'pipeline_in_period_now_amount',
            'quota_to_go': 'case when quota_amount - bookings_to_date_amount > 0 '
                ~ 'then quota_amount - bookings_to_date_amount end',
        }) }} end as coverage_now
    from joined
)

select * from final
