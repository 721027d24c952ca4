-- A count or sum metric names an event type and no components; a ratio names two additive
-- metrics and no event type. Anything else would resolve to a silent NULL everywhere.
with registry as (select * from {{ ref('metric_registry') }})

select registry.metric
from registry
left join registry as numerator on registry.numerator_metric = numerator.metric
left join registry as denominator on registry.denominator_metric = denominator.metric
where
    (
        registry.metric_type in ('count', 'sum')
        and (
            registry.event_type is null
            or registry.numerator_metric is not null
            or registry.denominator_metric is not null
        )
    )
    or (
        registry.metric_type = 'ratio'
        and (
            registry.event_type is not null
            or numerator.metric_type not in ('count', 'sum')
            or denominator.metric_type not in ('count', 'sum')
            or numerator.metric is null
            or denominator.metric is null
        )
    )
