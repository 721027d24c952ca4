-- The metric registry (seed) with whether each metric can be known: a metric over an
-- entity that was never delivered is NULL everywhere, never 0 (docs/landing-contract.md).
with registry as (select * from {{ ref('metric_registry') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }})

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
