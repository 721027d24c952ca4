-- Activities counted per owner, role and team held at the time, day and type: what the
-- registry's activity metrics and the reporting period read, so that they scan a table
-- of rep-days instead of every activity (10 M rows at scale M, ~10x fewer here).
-- Incremental: a run rewrites only the days (DuckDB, delete+insert by day) or the months
-- (Spark, whose Parquet partitions are months) holding a version of an activity that
-- changed since this table was built (new, updated, moved, deleted, re-attributed).
-- Rewriting December at L re-counted 9 M activities for a two-day delta.
-- depends_on: {{ ref('base_crm__activities') }}
-- depends_on: {{ ref('base_crm__users') }}
{%- set unit = activity_rewrite_unit() %}
{{ config(**incremental_config(unique_key='activity_date', partition_by='activity_month')) }}
{{ config(post_hook="{{ purge_vanished_periods('" ~ unit ~ "', ref('fct_activities')) }}") }}

{%- if is_incremental() %}
    {%- set last_loaded -%}
        (select {{ since_last_load('this._loaded_at') }} from {{ this }} as this)
    {%- endset -%}
    {%- set recent_from -%}
        (
            select
                {{ dbt.dateadd(
                    'day', -var('activities_lookback_days'), 'cast(max(this.activity_date) as timestamp)'
                ) }}
            from {{ this }} as this
        )
    {%- endset -%}
    {#- every version of a changed record: a moved or deleted activity changes the day it
        was on as well as the one it is on now -#}
    {%- set units_to_rewrite -%}
        select
            {{ month_of('versions.occurred_at') if unit == 'activity_month'
               else local_date('versions.occurred_at') }}
        from {{ ref('base_crm__activities') }} as versions
        where versions.activity_id in ({{ activities_to_reread(last_loaded, recent_from) }})
    {%- endset -%}
{%- endif %}

with activities as (select * from {{ ref('fct_activities') }}),

changed as (
    select * from activities
    {%- if is_incremental() %}
        where {{ unit }} in ({{ units_to_rewrite }})
    {%- endif %}
),

counted as (
    select
        owner_user_id as user_id,
        owner_role as role,
        owner_team_id as team_id,
        activity_date,
        activity_type,
        count(*) as activities,
        -- the newest raw load counted here: the watermark of the next incremental run
        max(_loaded_at) as _loaded_at,
        {{ built_at() }} as _built_at,
        activity_month
    from changed
    group by
        owner_user_id,
        owner_role,
        owner_team_id,
        activity_date,
        activity_type,
        activity_month
)

select * from counted
