{#- Money in the reporting currency (docs/kpi-catalogue.md, "Money"): an empty currency is
    already the reporting currency; any other converts with the latest rate on or before
    `on_date`. `fx` is the alias of a left join made with fx_join(). A needed rate that does not
    exist yields NULL here (unknown, never a silent zero): the fx tests warn, and the run
    names the currencies and dates that need a rate. -#}

{% macro fx_join(fx, currency, on_date) -%}
    {{ return(adapter.dispatch('fx_join')(fx, currency, on_date)) }}
{%- endmacro %}

{#- DuckDB: an ASOF join goes straight to the latest rate on or before the date. Rates are
    unique per currency and day, so that rate's range is the one holding the date: the
    same row the range join finds, without testing every rate of the currency (two such
    joins were 4 of fct_opportunities' 8.5 s at L). -#}
{% macro default__fx_join(fx, currency, on_date) -%}
    asof left join {{ ref('int_fx_rates__ranged') }} as {{ fx }}
        on {{ fx }}.currency = {{ currency }}
        and {{ on_date }} >= {{ fx }}.valid_from
{%- endmacro %}

{% macro spark__fx_join(fx, currency, on_date) -%}
    left join {{ ref('int_fx_rates__ranged') }} as {{ fx }}
        on {{ fx }}.currency = {{ currency }}
        and {{ on_date }} >= {{ fx }}.valid_from
        and {{ on_date }} < {{ fx }}.valid_to
{%- endmacro %}

{% macro in_reporting_currency(amount, currency, fx) -%}
    case
        when {{ currency }} is null or {{ currency }} = '{{ var("reporting_currency") }}'
            then cast({{ amount }} as double)
        else cast({{ amount }} as double) * {{ fx }}.rate_to_reporting
    end
{%- endmacro %}

{% macro fx_rate_missing(amount, currency, fx) -%}
    ({{ amount }} is not null
        and {{ currency }} is not null
        and {{ currency }} != '{{ var("reporting_currency") }}'
        and {{ fx }}.rate_to_reporting is null)
{%- endmacro %}
