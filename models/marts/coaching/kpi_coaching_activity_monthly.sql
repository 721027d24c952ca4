-- One row per coach x month with at least one session: sessions given, distinct coachees
-- and minutes (docs/kpi-catalogue.md, coaching_activity). Coaching flows SDR <- AE <- AM and rep <-
-- manager; peer_sessions counts the ones given by a coach who was not a manager then.
with sessions as (select * from {{ ref('stg_crm__coaching_sessions') }}),
users as (select * from {{ ref('int_users__versioned') }}),
months as (select * from {{ ref('int_months') }}),

dated as (
    select
        sessions.*,
        {{ month_of('sessions.occurred_at') }} as month,
        coach.role as coach_role
    from sessions
    left join users as coach
        on sessions.coach_user_id = coach.user_id
        and {{ in_force('coach', 'sessions.occurred_at') }}
)

select
    dated.coach_user_id,
    dated.month,
    count(*) as sessions_given,
    count(distinct dated.coachee_user_id) as coachees,
    cast({{ sum_known('dated.duration_minutes') }} as bigint) as coaching_minutes,
    count(case when dated.coach_role in ('SDR', 'AE', 'AM') then 1 end) as peer_sessions
from dated
inner join months on dated.month = months.month_start
group by dated.coach_user_id, dated.month
