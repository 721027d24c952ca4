-- Activities at their natural grain, with the role and team the owner held when the
-- activity happened (a call counts for the caller's team as of the call).
-- depends_on: {{ source('crm', 'activities') }}
-- depends_on: {{ source('crm', 'users') }}
{{ config(**incremental_config(unique_key='activity_id', partition_by='activity_month')) }}
{{ config(post_hook="{{ purge_deleted('activity_id', source('crm', 'activities')) }}") }}
{%- if adapter.type() == 'spark' %}
    {#- Spark rewrites only the months its select returns: first drop the months left with
        no live activity at all (DuckDB deletes by key, above) -#}
    {{ config(pre_hook="{{ purge_vanished_periods('activity_month', live_activity_months()) }}") }}
{%- endif %}

{%- if is_incremental() %}
    {#- what an incremental run re-reads: see activities_to_reread -#}
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
    {#- Spark rewrites whole months: also the months where this table holds an earlier
        version of a changed record (an activity moved to another month), or a deleted one -#}
    {%- set deleted_since -%}
        select deleted.activity_id
        from {{ source('crm', 'activities') }} as deleted
        where deleted.is_deleted and deleted._loaded_at > {{ last_loaded }}
    {%- endset -%}
{%- endif %}

with
{%- if is_incremental() and adapter.type() != 'spark' %}
    activity_versions as (
        -- DuckDB: every version of only the records to re-read, so the version ranking below
        -- (staging's, same macro) sorts thousands of rows instead of the whole history
        select * from {{ source('crm', 'activities') }}
        where activity_id in ({{ changed_ids }})
    ),

    activities as (
        -- stg_crm__activities' renaming, for the columns used here
        select
            activity_id,
            owner_id as owner_user_id,
            lead_id,
            opportunity_id,
            account_id,
            activity_type,
            outcome,
            duration_seconds,
            occurred_at,
            _loaded_at
        from ({{ latest_version('activity_versions', ['activity_id']) }}) as latest
    ),
{%- else %}
    activities as (select * from {{ ref('stg_crm__activities') }}),
{%- endif %}

users as (select * from {{ ref('int_users__versioned') }}),

changed as (
    select activities.*
    from activities
    {#- DuckDB's activities above are already only the records to re-read: filtering them
        by the same ids again cost a second scan of every raw version (1.7 s of 7 at L) #}
    {%- if is_incremental() and adapter.type() == 'spark' %}
        where {{ incremental_scope(
            'activities',
            changed='activities.activity_id in (' ~ changed_ids ~ ')',
            partition={
                'expression': month_of('activities.occurred_at'),
                'column': 'activity_month',
                'key': 'activity_id',
            },
            removed_keys=deleted_since ~ ' union ' ~ changed_ids,
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
        changed._loaded_at,
        {{ built_at() }} as _built_at
    from changed
    left join users
        on changed.owner_user_id = users.user_id
        and {{ in_force('users', 'changed.occurred_at') }}
)

select * from with_owner
