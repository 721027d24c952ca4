-- Activities at their natural grain, with the role and team the owner held when the
-- activity happened (a call counts for the caller's team as of the call).
-- Incremental: a run rebuilds only the activities that changed since the last build
-- (macros/activity_increments.sql says which, and how each engine rewrites them).
-- depends_on: {{ ref('base_crm__activities') }}
-- depends_on: {{ ref('base_crm__users') }}
{{ config(**incremental_config(unique_key='activity_id', partition_by='activity_month')) }}
{{ config(pre_hook="{{ drop_months_without_activities() }}") }}
{{ config(post_hook="{{ purge_deleted('activity_id', ref('base_crm__activities')) }}") }}

{%- if is_incremental() %}
    {%- set last_loaded -%}
        (select {{ since_last_load('this._loaded_at') }} from {{ this }} as this)
    {%- endset -%}
    {%- set recent_from -%}
        (
            select {{ dbt.dateadd('day', -var('activities_lookback_days'), 'max(this.occurred_at)') }}
            from {{ this }} as this
        )
    {%- endset -%}
    {%- set changed_ids = activities_to_reread(last_loaded, recent_from) -%}
    {%- set removed_ids = activities_deleted_since(last_loaded) ~ ' union ' ~ changed_ids -%}
{%- endif %}

with activities as (
    {{ activities_to_rebuild(changed_ids, removed_ids) }}
),

users as (select * from {{ ref('int_users__versioned') }}),

with_owner as (
    select
        activities.activity_id,
        activities.activity_type,
        activities.owner_user_id,
        users.role as owner_role,
        coalesce(users.team_id, 'unassigned') as owner_team_id,
        activities.occurred_at,
        {{ local_date('activities.occurred_at') }} as activity_date,
        {{ month_of('activities.occurred_at') }} as activity_month,
        activities.duration_seconds,
        activities.outcome,
        activities.lead_id,
        activities.opportunity_id,
        activities.account_id,
        activities.activity_type = 'call' as is_call,
        activities._loaded_at,
        {{ built_at() }} as _built_at
    from activities
    left join users
        on activities.owner_user_id = users.user_id
        and {{ in_force('users', 'activities.occurred_at') }}
)

select * from with_owner
