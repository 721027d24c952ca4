-- The metric registry: the seed's additive metrics (each counts or sums one event type),
-- and every ratio KPI of macros/kpis.sql whose two parts are registry metrics, with its
-- parts from that one definition. The seed's ratio rows only say where a ratio is shown
-- (leaderboards, attainment) and what it needs. is_available is false when an entity the
-- metric needs was never delivered: the metric is then NULL wherever it is used.
with seeded as (select * from {{ ref('metric_registry') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),

kpi_ratios as (
    {%- for name, kpi in kpi_definitions().items() %}
        select
            '{{ name }}' as metric,
            '{{ kpi.label }}' as label,
            '{{ kpi.numerator }}' as numerator_metric,
            '{{ kpi.denominator }}' as denominator_metric,
            '{{ kpi.get("unit", "ratio") }}' as unit,
            '{{ kpi.description }}' as description
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

additive as (
    select *
    from seeded
    where metric_type in ('count', 'sum')
),

ratios as (
    -- a KPI is a registry metric when the registry can add up both its parts
    select
        kpi_ratios.metric,
        coalesce(seeded.label, kpi_ratios.label) as label,
        'ratio' as metric_type,
        cast(null as {{ dbt.type_string() }}) as event_type,
        kpi_ratios.numerator_metric,
        kpi_ratios.denominator_metric,
        coalesce(seeded.unit, kpi_ratios.unit) as unit,
        coalesce(seeded.kind, 'result') as kind,
        seeded.leaderboard_roles,
        seeded.attainment_roles,
        coalesce(seeded.requires, numerator.requires || '|' || denominator.requires) as requires,
        coalesce(seeded.description, kpi_ratios.description) as description
    from kpi_ratios
    inner join additive as numerator on kpi_ratios.numerator_metric = numerator.metric
    inner join additive as denominator on kpi_ratios.denominator_metric = denominator.metric
    left join seeded on kpi_ratios.metric = seeded.metric
),

registry as (
    select
        metric,
        label,
        metric_type,
        event_type,
        cast(null as {{ dbt.type_string() }}) as numerator_metric,
        cast(null as {{ dbt.type_string() }}) as denominator_metric,
        unit,
        kind,
        leaderboard_roles,
        attainment_roles,
        requires,
        description
    from additive
    union all
    select * from ratios
)

select
    registry.*,
    {%- for entity in ['accounts', 'activities', 'contracts', 'lead_handoffs', 'opportunities'] %}
        (
            not {{ role_listed('registry.requires', "'" ~ entity ~ "'") }}
            or deliveries.has_{{ entity }}
        )
        {{- ' and' if not loop.last }}
    {%- endfor %} as is_available
from registry
cross join deliveries
