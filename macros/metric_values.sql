{#- Resolve a registry metric for every row of `spine` (a CTE with the `keys` columns and
    `metric`) from `totals` (a CTE with the same keys, an additive `metric` and its
    `value`, one row per metric and keys). count/sum metrics read their own total; ratio
    metrics divide the totals of their numerator and denominator metrics (never an average
    of ratios). A spine row with no total is 0, a metric whose entities were never
    delivered or that the registry does not know is NULL. Needs a CTE `registry` selecting
    from int_metric_registry. -#}
{% macro resolve_metric(spine, totals, keys) -%}
    {%- set slots -%}
        (
            select
                metric_references.metric,
                {%- for key in keys %}
                    {{ totals }}.{{ key }},
                {%- endfor %}
                {{ metric_slot_values('metric_references', totals ~ '.value') }}
            from {{ totals }}
            inner join ({{ metric_references() }}) as metric_references
                on {{ totals }}.metric = metric_references.referenced_metric
            group by
                metric_references.metric
                {%- for key in keys %}, {{ totals }}.{{ key }}{% endfor %}
        )
    {%- endset -%}
    {{ resolve_metric_slots(spine, slots, keys) }}
{%- endmacro %}

{#- Each registry metric with the additive metrics it reads: itself ('own'), and for a
    ratio its numerator and denominator. Joining totals to these rows and grouping by
    `metric` gives every value a metric needs in one row, one join instead of three. -#}
{% macro metric_references() -%}
    select
        metric,
        metric as referenced_metric,
        'own' as slot
    from registry
    union all
    select
        metric,
        numerator_metric as referenced_metric,
        'numerator' as slot
    from registry
    where numerator_metric is not null
    union all
    select
        metric,
        denominator_metric as referenced_metric,
        'denominator' as slot
    from registry
    where denominator_metric is not null
{%- endmacro %}

{#- Aggregates over rows joined to metric_references: per slot, whether any total exists
    (a missing total is 0, a known-unknown one is NULL) and the sum of the values. -#}
{% macro metric_slot_values(references, value) -%}
    {%- for slot in ['own', 'numerator', 'denominator'] %}
        count(case when {{ references }}.slot = '{{ slot }}' then 1 end) > 0 as has_{{ slot }},
        sum(case when {{ references }}.slot = '{{ slot }}' then {{ value }} end)
        as {{ slot }}_value
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- resolve_metric from rows that already hold the slot values (metric_slot_values) per
    metric and keys: a model that sums totals anyway folds the slots into that sum. -#}
{% macro resolve_metric_slots(spine, slots, keys) -%}
    {%- set num -%}
        coalesce(slots.numerator_value, case when not coalesce(slots.has_numerator, false) then 0 end)
    {%- endset -%}
    {%- set den -%}
        coalesce(
            slots.denominator_value, case when not coalesce(slots.has_denominator, false) then 0 end
        )
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
            else coalesce(slots.own_value, case when not coalesce(slots.has_own, false) then 0 end)
        end as value
    from {{ spine }}
    left join registry on {{ spine }}.metric = registry.metric
    left join {{ slots }} as slots
        on {{ spine }}.metric = slots.metric
        {%- for key in keys %} and {{ spine }}.{{ key }} = slots.{{ key }}{% endfor %}
{%- endmacro %}
