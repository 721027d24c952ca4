{#- Calendar periods for goals, scorecards and leaderboards (docs/kpi-catalogue.md, Period): a
    day, the ISO week starting on Monday, a month, a quarter or a year. -#}

{% macro period_grains() -%}
    {{ return(['day', 'week', 'month', 'quarter', 'year']) }}
{%- endmacro %}

{% macro period_start(grain, day) -%}
    {%- if grain == 'day' -%}
        cast({{ day }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(grain, day) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- The last day of the period `grain` that starts on `start` (a column holding a grain
    name is allowed: the choice is then made per row). -#}
{% macro period_end(grain_column, start) -%}
    case {{ grain_column }}
        when 'day' then cast({{ start }} as date)
        when 'week' then cast({{ dbt.dateadd('day', 6, start) }} as date)
        when 'month' then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, start)) }} as date)
        when 'quarter' then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, start)) }} as date)
        when 'year' then cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, start)) }} as date)
    end
{%- endmacro %}

{#- The start of the period `grain_column` (per row) that contains `day`. -#}
{% macro period_start_of(grain_column, day) -%}
    case {{ grain_column }}
        {%- for grain in period_grains() %}
            when '{{ grain }}' then {{ period_start(grain, day) }}
        {%- endfor %}
    end
{%- endmacro %}

{#- True when `role` is one of the |-separated roles in `role_list` (metric_registry). -#}
{% macro role_listed(role_list, role) -%}
    ('|' || coalesce({{ role_list }}, '') || '|' like '%|' || {{ role }} || '|%')
{%- endmacro %}
