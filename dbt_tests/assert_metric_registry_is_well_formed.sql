-- A count or sum metric names an event type; a ratio in the seed is a KPI of macros/kpis.sql
-- whose two parts are additive registry metrics (int_metric_registry gives it its parts).
-- Anything else would resolve to a silent NULL everywhere.
with seeded as (select * from {{ ref('metric_registry') }}),
registry as (select * from {{ ref('int_metric_registry') }})

select seeded.metric
from seeded
left join registry on seeded.metric = registry.metric
where
    (seeded.metric_type in ('count', 'sum') and seeded.event_type is null)
    or (
        seeded.metric_type = 'ratio'
        and (seeded.event_type is not null or registry.numerator_metric is null)
    )
