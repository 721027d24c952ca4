{#- Resolve a registry metric for every row of `spine` (a CTE with the `keys` columns and
    `metric`) from `totals` (a CTE with the same keys, an additive `metric` and its
    `value`). count/sum metrics read their own total; ratio metrics divide the totals of
    their numerator and denominator metrics (never an average of ratios). A spine row with
    no total is 0, a metric whose entities were never delivered or that the registry does
    not know is NULL. Needs a CTE `registry` selecting from int_metric_registry. -#}
{% macro resolve_metric(spine, totals, keys) -%}
    {%- set on_keys -%}
        {%- for key in keys %} and {{ spine }}.{{ key }} = {alias}.{{ key }}{% endfor -%}
    {%- endset -%}
    {%- set num -%}
        coalesce(numerator.value, case when numerator.metric is null then 0 end)
    {%- endset -%}
    {%- set den -%}
        coalesce(denominator.value, case when denominator.metric is null then 0 end)
    {%- endset -%}
    select
        {{ spine }}.*,
        registry.metric_type,
        registry.unit,
        case when registry.metric_type = 'ratio' and registry.is_available
                then {{ num }}
        end as numerator,
        case when registry.metric_type = 'ratio' and registry.is_available
                then {{ den }}
        end as denominator,
        case
            when registry.metric is null or not registry.is_available then null
            when registry.metric_type = 'ratio'
                then {{ safe_divide(num, den) }}
            else coalesce(own.value, case when own.metric is null then 0 end)
        end as value
    from {{ spine }}
    left join registry on {{ spine }}.metric = registry.metric
    left join {{ totals }} as own
        on own.metric = {{ spine }}.metric{{ on_keys.replace('{alias}', 'own') }}
    left join {{ totals }} as numerator
        on numerator.metric = registry.numerator_metric{{ on_keys.replace('{alias}', 'numerator') }}
    left join {{ totals }} as denominator
        on denominator.metric = registry.denominator_metric
        {{- on_keys.replace('{alias}', 'denominator') }}
{%- endmacro %}
