-- One row: whether each entity was ever delivered (a file of it loaded, even empty).
-- An entity never delivered is unknown, not empty: the KPIs built on it are NULL.
with manifest as (select * from {{ ref('base_crm__load_manifest') }})

select
{%- for entity in ['users', 'teams', 'accounts', 'leads', 'activities', 'lead_handoffs',
                   'opportunities', 'opportunity_stage_history', 'contracts', 'goals',
                   'costs', 'coaching_sessions', 'contests', 'fx_rates',
                   'forecast_submissions', 'comp_plans', 'comp_plan_tiers',
                   'comp_plan_assignments'] %}
        coalesce(bool_or(entity = '{{ entity }}'), false) as has_{{ entity }}
        {{- ',' if not loop.last }}
{%- endfor %}
from manifest
where status = 'loaded'
