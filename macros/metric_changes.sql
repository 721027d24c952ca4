{#- Incremental metric tables (int_metric_actuals__periods, kpi_leaderboard, DuckDB) rebuild
    only the periods whose inputs changed since they last wrote. Spark builds them whole. -#}

{#- The (metric, grain, period_start) of {{ this }} to rebuild, as a query: every period
    of `grains` holding a slice of int_metric_inputs__fingerprints that changed after the
    table's latest _built_at. A slice changed in a run that did not reach this table (a
    failed test upstream) stays newer than it, so the next run still rebuilds it.
    leaderboard=false: rep-days only (sums per scope). leaderboard=true: also the days whose
    roles changed, the old and new as-of dates (every metric: entities and current periods),
    edited registry rows (that metric on every day), and a ratio wherever a part changed. -#}
{% macro changed_metric_periods(grains, leaderboard=false) -%}
    {%- set fingerprints = ref('int_metric_inputs__fingerprints') -%}
    with
    {%- if leaderboard %}
        registry as (select * from {{ ref('int_metric_registry') }}),
    {%- endif %}

    changes as (
        select
            fingerprints.input,
            fingerprints.metric,
            fingerprints.input_date
        from {{ fingerprints }} as fingerprints
        where fingerprints._built_at > (
            select {{ since_last_load('this._built_at') }} from {{ this }} as this
        )
    ),

    {%- if leaderboard %}

        metric_references as (
            {{ metric_references() }}
        ),

        readers as (
            -- each metric, and the ratios reading it (a metric gone from the registry: itself)
            select
                referenced_metric as metric,
                metric as reader
            from metric_references
            union
            select
                metric,
                metric as reader
            from changes
            where input = 'registry'
        ),

        changed_days as (
            select
                readers.reader as metric,
                changes.input_date as day
            from changes
            inner join readers on changes.metric = readers.metric
            where changes.input = 'daily'
            union all
            select
                registry.metric,
                changes.input_date as day
            from changes
            cross join registry
            where changes.input in ('role_days', 'as_of')
            union all
            select
                readers.reader as metric,
                days.input_date as day
            from changes
            inner join readers on changes.metric = readers.metric
            cross join (
                select distinct input_date
                from {{ fingerprints }}
                where input in ('daily', 'role_days')
            ) as days
            where changes.input = 'registry'
        ),
    {%- else %}

        changed_days as (
            select
                metric,
                input_date as day
            from changes
            where input = 'daily'
        ),
    {%- endif %}

    grains as (
        {%- for grain in grains %}
            select '{{ grain }}' as grain
            {{ 'union all' if not loop.last }}
        {%- endfor %}
    )

    select distinct
        changed_days.metric,
        grains.grain,
        {{ period_start_of('grains.grain', 'changed_days.day') }} as period_start
    from changed_days
    cross join grains
{%- endmacro %}

{#- Whether (metric, grain, period_start), three SQL expressions, is a changed period: one
    of the rows of the CTE `changed` (changed_metric_periods). -#}
{% macro in_changed_periods(metric, grain, period_start) -%}
    ({{ metric }}, {{ grain }}, {{ period_start }}) in (
        select
            changed.metric,
            changed.grain,
            changed.period_start
        from changed
    )
{%- endmacro %}

{#- Pre-hook: delete the periods an incremental run rebuilds, so that rows which no longer
    exist (a rep with nothing left in a period) go too; the run then inserts the rest. -#}
{% macro delete_changed_metric_periods(grains, leaderboard=false) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where (metric, grain, period_start) in (
            select changed.metric, changed.grain, changed.period_start
            from ({{ changed_metric_periods(grains, leaderboard) }}) as changed
        )
    {%- endif -%}
{%- endmacro %}

{#- kpi_leaderboard: whether `day` lies in a changed week or quarter (a CTE changed_periods
    of grain, period_start) on an incremental run, always true on a full build. Every
    changed month lies in a changed quarter, so these are all the days a changed board sums. -#}
{% macro in_changed_board_period(day) -%}
    {%- if is_incremental() -%}
        (
            ('week', {{ period_start('week', day) }}) in (select * from changed_periods)
            or ('quarter', {{ period_start('quarter', day) }}) in (select * from changed_periods)
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
