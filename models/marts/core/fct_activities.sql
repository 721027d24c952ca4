-- Activities at their natural grain, with the role and team the owner held when the
-- activity happened (a call counts for the caller's team as of the call).
-- depends_on: {{ source('crm', 'activities') }}
-- depends_on: {{ source('crm', 'users') }}
{{ config(**incremental_config(unique_key='activity_id', partition_by='activity_month')) }}
{{ config(post_hook="{{ purge_deleted(
    'activity_id',
    'select activity_id from ' ~ source('crm', 'activities') ~ ' where is_deleted',
    'select activity_id from ' ~ ref('stg_crm__activities'),
) }}") }}

{%- if is_incremental() %}
    {#- what an incremental run re-reads: see `changed` below -#}
    {%- set last_loaded -%}
        (select max(this._loaded_at) from {{ this }} as this)
    {%- endset -%}
    {%- set changed_rows -%}
        activities._loaded_at > {{ last_loaded }}
        or activities.occurred_at >= (
            select
                {{ dbt.dateadd('day', -var('activities_lookback_days'), 'max(this.occurred_at)') }}
            from {{ this }} as this
        )
        or activities.owner_user_id in (
            select user_deliveries.user_id
            from {{ source('crm', 'users') }} as user_deliveries
            where user_deliveries._loaded_at > {{ last_loaded }}
        )
    {%- endset -%}
    {%- set deleted_since -%}
        select deleted.activity_id
        from {{ source('crm', 'activities') }} as deleted
        where deleted.is_deleted and deleted._loaded_at > {{ last_loaded }}
    {%- endset -%}
{%- endif %}

with activities as (select * from {{ ref('stg_crm__activities') }}),
users as (select * from {{ ref('int_users__versioned') }}),

changed as (
    -- incremental runs re-read what was loaded since the last run, the lookback window
    -- by occurred_at, and every activity of a rep whose record arrived or changed since
    -- the last run (their role and team at the time may be different now)
    select activities.*
    from activities
    {%- if is_incremental() %}
        where {{ incremental_scope(
            'activities',
            changed=changed_rows,
            partition={
                'expression': month_of('activities.occurred_at'),
                'column': 'activity_month',
                'key': 'activity_id',
            },
            removed_keys=deleted_since,
        ) }}
    {%- endif %}
),

with_owner as (
    select
        changed.activity_id,
        changed.activity_type,
        changed.owner_user_id,
        users.role as owner_role,
        coalesce(users.team_id, 'unassigned') as owner_team_id,
        changed.occurred_at,
        {{ local_date('changed.occurred_at') }} as activity_date,
        {{ month_of('changed.occurred_at') }} as activity_month,
        changed.duration_seconds,
        changed.outcome,
        changed.lead_id,
        changed.opportunity_id,
        changed.account_id,
        changed.activity_type = 'call' as is_call,
        changed._loaded_at
    from changed
    left join users
        on changed.owner_user_id = users.user_id
        and {{ in_force('users', 'changed.occurred_at') }}
)

select * from with_owner
