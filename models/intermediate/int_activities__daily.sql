-- Activities counted per owner, role and team held at the time, day and type: what the
-- registry's activity metrics and the reporting period read, so that they scan a table
-- of rep-days instead of every activity (10 M rows at scale M, ~40x fewer here).
with activities as (select * from {{ ref('fct_activities') }}),

counted as (
    select
        owner_user_id as user_id,
        owner_role as role,
        owner_team_id as team_id,
        activity_date,
        activity_type,
        count(*) as activities
    from activities
    group by
        owner_user_id,
        owner_role,
        owner_team_id,
        activity_date,
        activity_type
)

select * from counted
