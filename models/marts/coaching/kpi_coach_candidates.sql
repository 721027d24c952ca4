-- Reps in the top quartile of their role's attainment over the last 3 complete months, and
-- whether they already coach (docs/kpi-catalogue.md, coach_candidates). Attainment is pooled
-- over the months the rep had a target in the role (actual sum over target sum); only reps
-- employed on the as-of date are ranked. Top quartile: rank <= ceil(ranked reps / 4), ties at
-- the boundary included.
with attainment as (select * from {{ ref('int_rep_attainment__monthly') }}),
role_days as (select * from {{ ref('int_users__role_days') }}),
sessions as (select * from {{ ref('stg_crm__coaching_sessions') }}),
months as (select * from {{ ref('int_months') }}),
period as (select * from {{ ref('int_reporting_period') }}),

complete_months as (
    select
        months.month_start,
        row_number() over (order by months.month_start desc) as months_back
    from months
    cross join period
    where months.month_end <= period.as_of_date
),

review_window as (
    select
        min(month_start) as window_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'max(month_start)')) }} as date)
            as window_end
    from complete_months
    where months_back <= 3
),

employed_now as (
    select distinct role_days.user_id
    from role_days
    cross join period
    where role_days.date_day = period.as_of_date
),

pooled as (
    select
        attainment.role,
        attainment.user_id,
        attainment.metric,
        count(*) as months_with_target,
        -- exact, so reruns agree to the last bit (a sum of doubles depends on thread order)
        cast(sum(cast(attainment.actual as decimal(38, 6))) as double) as actual,
        sum(attainment.target) as target
    from attainment
    cross join review_window
    inner join employed_now on attainment.user_id = employed_now.user_id
    where
        attainment.month_start between review_window.window_start and review_window.window_end
        and attainment.target > 0
        -- a month whose actual is unknown says nothing either way
        and attainment.actual is not null
    group by attainment.role, attainment.user_id, attainment.metric
),

ranked as (
    select
        pooled.*,
        {{ kpi('attainment', {'actual': 'pooled.actual', 'target': 'pooled.target'}) }}
            as attainment,
        rank() over (
            partition by pooled.role
            order by
                {{ kpi('attainment', {'actual': 'pooled.actual', 'target': 'pooled.target'}) }}
                desc nulls last
        ) as role_rank,
        count(*) over (partition by pooled.role) as reps_ranked
    from pooled
),

coaching_given as (
    select
        sessions.coach_user_id,
        count(*) as sessions_given
    from sessions
    cross join review_window
    where {{ local_date('sessions.occurred_at') }}
        between review_window.window_start and review_window.window_end
    group by sessions.coach_user_id
)

select
    ranked.role,
    ranked.user_id,
    ranked.metric,
    review_window.window_start,
    review_window.window_end,
    ranked.months_with_target,
    cast(ranked.actual as double) as actual,
    ranked.target,
    ranked.attainment,
    cast(ranked.role_rank as bigint) as role_rank,
    ranked.reps_ranked,
    coalesce(coaching_given.sessions_given, 0) as sessions_given_in_window,
    coalesce(coaching_given.sessions_given, 0) > 0 as already_coaches
from ranked
cross join review_window
left join coaching_given on ranked.user_id = coaching_given.coach_user_id
where ranked.role_rank <= ceil(ranked.reps_ranked / 4.0)
