-- Scorecards, leaderboards and quota attainment read the metric registry; the role marts
-- compute the same numbers their own way. Where both define a number they must agree:
-- scorecard month actuals against the role and team marts, SDR and AE leaderboards against
-- kpi_sdr_monthly / kpi_ae_monthly, quota bookings against kpi_ae_monthly. Rep comparisons
-- use rep-months in a single role (a rep who changed role mid-month is credited by role at
-- the event on boards, by ownership in the role marts). Returns the disagreements.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_scorecard'}}}) }}
with scorecard as (select * from {{ ref('kpi_scorecard') }}),
leaderboard as (select * from {{ ref('kpi_leaderboard') }}),
quota as (select * from {{ ref('kpi_quota_attainment') }}),
sdr as (select * from {{ ref('kpi_sdr_monthly') }}),
ae as (select * from {{ ref('kpi_ae_monthly') }}),
teams as (select * from {{ ref('kpi_team_monthly') }}),
role_months as (select * from {{ ref('int_users__role_months') }}),
period as (select * from {{ ref('int_reporting_period') }}),

single_role_months as (
    select
        role_months.user_id,
        role_months.month_start,
        min(role_months.role) as role
    from role_months
    cross join period
    -- complete months only: the role marts count the whole as-of month, the registry
    -- marts stop at the as-of date
    where
        {{ dbt.dateadd('month', 1, 'role_months.month_start') }}
        <= {{ dbt.dateadd('day', 1, 'period.as_of_date') }}
    group by role_months.user_id, role_months.month_start
    having count(distinct role_months.role) = 1
),

role_mart_values as (
    {%- for metric in ['calls', 'leads_sent', 'qualified_leads_sent', 'handoffs_accepted'] %}
        select
            'SDR' as role,
            sdr.sdr_user_id as user_id,
            sdr.month,
            '{{ metric }}' as metric,
            cast(sdr.{{ metric }} as double) as value
        from sdr
        union all
    {%- endfor %}
    {%- for metric in ['deals_won', 'bookings_amount'] %}
        select
            'AE' as role,
            ae.ae_user_id as user_id,
            ae.month,
            '{{ metric }}' as metric,
            cast(ae.{{ metric }} as double) as value
        from ae
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

compared_reps as (
    select role_mart_values.*
    from role_mart_values
    inner join single_role_months
        on role_mart_values.user_id = single_role_months.user_id
        and role_mart_values.month = single_role_months.month_start
        and role_mart_values.role = single_role_months.role
),

scorecard_vs_role_marts as (
    select
        'scorecard' as source,
        scorecard.scope_id as id,
        scorecard.period_start as month,
        scorecard.metric,
        scorecard.actual as value,
        compared_reps.value as expected
    from scorecard
    inner join compared_reps
        on scorecard.scope = 'user'
        and scorecard.grain = 'month'
        and scorecard.scope_id = compared_reps.user_id
        and scorecard.period_start = compared_reps.month
        and scorecard.metric = compared_reps.metric
),

scorecard_vs_teams as (
    select
        'scorecard team' as source,
        scorecard.scope_id as id,
        scorecard.period_start as month,
        scorecard.metric,
        scorecard.actual as value,
        -- a team with no row made nothing (0); a row with unknown revenue stays unknown
        case when teams.team_id is null then 0 else teams.revenue end as expected
    from scorecard
    left join teams
        on scorecard.scope_id = teams.team_id
        and scorecard.period_start = teams.month
    where
        scorecard.scope = 'team' and scorecard.grain = 'month'
        and scorecard.metric = 'bookings_amount'
        and scorecard.period_end <= scorecard.as_of_date
),

leaderboard_vs_role_marts as (
    select
        'leaderboard' as source,
        leaderboard.entity_id as id,
        leaderboard.period_start as month,
        leaderboard.metric,
        leaderboard.value,
        compared_reps.value as expected
    from leaderboard
    inner join compared_reps
        on leaderboard.entity_type = 'rep'
        and leaderboard.grain = 'month'
        and leaderboard.role = compared_reps.role
        and leaderboard.entity_id = compared_reps.user_id
        and leaderboard.period_start = compared_reps.month
        and leaderboard.metric = compared_reps.metric
),

quota_vs_ae as (
    select
        'quota' as source,
        quota.user_id as id,
        quota.period_start as month,
        'bookings_amount' as metric,
        quota.bookings_amount as value,
        compared_reps.value as expected
    from quota
    inner join compared_reps
        on quota.grain = 'month'
        and quota.user_id = compared_reps.user_id
        and quota.period_start = compared_reps.month
        and compared_reps.role = 'AE'
        and compared_reps.metric = 'bookings_amount'
),

all_compared as (
    select * from scorecard_vs_role_marts
    union all
    select * from scorecard_vs_teams
    union all
    select * from leaderboard_vs_role_marts
    union all
    select * from quota_vs_ae
)

select *
from all_compared
where
    (value is null) != (expected is null)
    -- both sides may be money rounded to the cent from sums taken in another order:
    -- up to a cent apart is rounding
    or abs(value - expected) > 0.01 + 1e-9
