{#- Period helpers. Timestamps are stored as naive UTC; days, weeks and months are those
    of the reporting time zone (var reporting_timezone). -#}

{% macro local_timestamp(ts) -%}
    {%- if var('reporting_timezone') == 'UTC' -%}
        {{ ts }}
    {%- else -%}
        {{ return(adapter.dispatch('local_timestamp')(ts)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__local_timestamp(ts) -%}
    from_utc_timestamp({{ ts }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}

{% macro duckdb__local_timestamp(ts) -%}
    cast(timezone('{{ var("reporting_timezone") }}', cast({{ ts }} as timestamptz)) as timestamp)
{%- endmacro %}

{% macro local_date(ts) -%}
    cast({{ local_timestamp(ts) }} as date)
{%- endmacro %}

{% macro month_of(ts) -%}
    cast({{ dbt.date_trunc('month', local_timestamp(ts)) }} as date)
{%- endmacro %}

{#- The last instant of a day: "as of the end of that day" in docs/kpi-catalogue.md. -#}
{% macro end_of_day(day) -%}
    {{ dbt.dateadd('microsecond', -1, dbt.dateadd('day', 1, 'cast(' ~ day ~ ' as timestamp)')) }}
{%- endmacro %}

{#- True when the version `alias` (valid_from inclusive, valid_to exclusive) is the one in
    force at `instant`. -#}
{% macro in_force(alias, instant) -%}
    ({{ alias }}.valid_from <= {{ instant }} and {{ instant }} < {{ alias }}.valid_to)
{%- endmacro %}

{#- ISO day of the week: Monday 1 .. Sunday 7. -#}
{% macro iso_day_of_week(day) -%}
    {{ return(adapter.dispatch('iso_day_of_week')(day)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(day) -%}
    extract(isodow from {{ day }})
{%- endmacro %}

{% macro spark__iso_day_of_week(day) -%}
    extract(dayofweek_iso from {{ day }})
{%- endmacro %}
