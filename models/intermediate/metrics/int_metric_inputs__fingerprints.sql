-- What the metric layer reads, cut into slices, each with a fingerprint (an order-free sum
-- of row hashes) and the run that last changed it (_built_at). int_metric_actuals__periods
-- and kpi_leaderboard rebuild only the periods holding a slice that changed since they
-- last wrote: a new, changed or deleted event, a re-attributed rep, a moved as-of date and
-- a registry edit all change some slice's fingerprint. A slice that disappears stays with
-- an empty fingerprint, so its periods are rebuilt too.
{{ config(**incremental_by_key_config('input_key')) }}

with daily as (select * from {{ ref('int_metric_actuals__daily') }}),
role_days as (select * from {{ ref('int_users__role_days') }}),
registry as (select * from {{ ref('int_metric_registry') }}),
period as (select * from {{ ref('int_reporting_period') }}),

slices as (
    -- one metric's rep-days on one day, up to the as-of date (what the marts sum)
    select
        'daily' as input,
        daily.metric,
        daily.event_date as input_date,
        {%- set rep_day = [
            'daily.user_id', 'daily.role', 'daily.team_id', 'daily.value', 'daily.events'
        ] %}
        sum(cast({{ key_hash(rep_day) }} as decimal(38, 0))) as fingerprint
    from daily
    cross join period
    where daily.event_date <= period.as_of_date
    group by daily.metric, daily.event_date
    union all
    -- who held which role in which team on one day (the leaderboards' entities)
    select
        'role_days' as input,
        '*' as metric,
        date_day as input_date,
        sum(cast({{ key_hash(['user_id', 'role', 'team_id']) }} as decimal(38, 0))) as fingerprint
    from role_days
    group by date_day
    union all
    -- one registry row: which boards show a metric, a ratio's parts, availability, unit
    select
        'registry' as input,
        metric,
        cast(null as date) as input_date,
        cast({{ key_hash([
            'metric_type', 'event_type', "coalesce(numerator_metric, '')",
            "coalesce(denominator_metric, '')", 'unit', "coalesce(leaderboard_roles, '')",
            'is_available'
        ]) }} as decimal(38, 0)) as fingerprint
    from registry
    union all
    -- the as-of date: a move changes which periods are current (the key holds the date, so
    -- the old date's slice disappears and the new one appears)
    select
        'as_of' as input,
        '*' as metric,
        as_of_date as input_date,
        cast(1 as decimal(38, 0)) as fingerprint
    from period
),

keyed as (
    select
        input || '|' || metric || '|'
        || coalesce(cast(input_date as {{ dbt.type_string() }}), '') as input_key,
        input,
        metric,
        input_date,
        fingerprint
    from slices
),

{%- if is_incremental() %}

    changed as (
        -- slices new, changed or gone since the last run; unchanged ones keep their row
        select
            coalesce(keyed.input_key, this.input_key) as input_key,
            coalesce(keyed.input, this.input) as input,
            coalesce(keyed.metric, this.metric) as metric,
            coalesce(keyed.input_date, this.input_date) as input_date,
            keyed.fingerprint
        from keyed
        full outer join {{ this }} as this on keyed.input_key = this.input_key
        where keyed.fingerprint is distinct from this.fingerprint
    )
{%- else %}

    changed as (select * from keyed)
{%- endif %}

select
    input_key,
    input,
    metric,
    input_date,
    fingerprint,
    {{ built_at() }} as _built_at
from changed
