{#- How an incremental run over activities finds and rewrites what changed: shared by
    fct_activities and int_activities__daily so they agree on it, with the engines'
    differences behind adapter.dispatch. DuckDB deletes and inserts by key or by day;
    Spark's Parquet tables have no DELETE and rewrite whole month partitions. -#}

{#- The activities an incremental run must re-read (a query of ids): every record with a
    version loaded after `watermark` (a scalar query: the newest load the target has seen),
    every record that happened on or after `recent_from` (the lookback window for late
    rows), and every record owned by a rep whose own record arrived or changed since
    (their role and team at the time may be different). -#}
{% macro activities_to_reread(watermark, recent_from) -%}
    select versions.activity_id
    from {{ ref('base_crm__activities') }} as versions
    where
        versions._loaded_at > {{ watermark }}
        or versions.occurred_at >= {{ recent_from }}
        or versions.owner_user_id in (
            select user_deliveries.user_id
            from {{ ref('base_crm__users') }} as user_deliveries
            where user_deliveries._loaded_at > {{ watermark }}
        )
{%- endmacro %}

{#- The live latest version of the activities a run rebuilds, staging's columns: all of
    them on a full build; on an incremental one the records in `changed_ids` (a query), and
    on Spark every activity of each month partition they touch (`removed_ids`, a query:
    ids whose earlier version or delete may sit in another month). -#}
{% macro activities_to_rebuild(changed_ids, removed_ids) -%}
    {%- if not is_incremental() -%}
        select * from {{ ref('stg_crm__activities') }}
    {%- else -%}
        {{ return(adapter.dispatch('activities_to_rebuild')(changed_ids, removed_ids)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__activities_to_rebuild(changed_ids, removed_ids) -%}
    {#- every version of only the records to re-read, so the version ranking (staging's,
        same macro) sorts thousands of rows instead of the whole history; a CTE, kept once
        in memory because the ranking reads it three times -#}
    with activity_versions as (
        select * from {{ ref('base_crm__activities') }}
        where activity_id in ({{ changed_ids }})
    )

    {{ latest_version('activity_versions', ['activity_id']) }}
{%- endmacro %}

{% macro spark__activities_to_rebuild(changed_ids, removed_ids) -%}
    {%- set activities = ref('stg_crm__activities') -%}
    select *
    from {{ activities }}
    where {{ incremental_scope(
        activities,
        changed='activity_id in (' ~ changed_ids ~ ')',
        partition={
            'expression': month_of('occurred_at'),
            'column': 'activity_month',
            'key': 'activity_id',
        },
        removed_keys=removed_ids,
    ) }}
{%- endmacro %}

{#- The ids of activities deleted since `watermark`: their month may hold nothing else new. -#}
{% macro activities_deleted_since(watermark) -%}
    select deleted.activity_id
    from {{ ref('base_crm__activities') }} as deleted
    where deleted.is_deleted and deleted._loaded_at > {{ watermark }}
{%- endmacro %}

{#- The period column an incremental run over activities rewrites whole: a day on DuckDB
    (delete+insert by day), a month on Spark (its Parquet partitions are months). -#}
{% macro activity_rewrite_unit() -%}
    {{ return(adapter.dispatch('activity_rewrite_unit')()) }}
{%- endmacro %}

{% macro default__activity_rewrite_unit() -%}
    {{ return('activity_date') }}
{%- endmacro %}

{% macro spark__activity_rewrite_unit() -%}
    {{ return('activity_month') }}
{%- endmacro %}

{#- Before fct_activities is rewritten: on Spark, drop the month partitions left with no live
    activity at all (an insert_overwrite replaces only the months its select returns).
    DuckDB deletes by key after the insert instead (purge_deleted). -#}
{% macro drop_months_without_activities() -%}
    {{ return(adapter.dispatch('drop_months_without_activities')()) }}
{%- endmacro %}

{% macro default__drop_months_without_activities() -%}
    select 1
{%- endmacro %}

{% macro spark__drop_months_without_activities() -%}
    {{ purge_vanished_periods('activity_month', live_activity_months()) }}
{%- endmacro %}

{#- The months holding a live (latest, not deleted) activity, as a query. -#}
{% macro live_activity_months() -%}
    (select distinct {{ month_of('occurred_at') }} as activity_month from {{ ref('stg_crm__activities') }})
{%- endmacro %}
