{#- Every row of `relation` three times: for its rep, for its team and for the company
    (scope, scope_id), the roll-up the pipeline marts share. Rep-level KPIs roll up by
    adding, so a team's and the company's numbers are sums over their own rows, never
    averages of the reps'. -#}
{% macro rep_team_and_company(relation, user_column, team_column) -%}
    select 'user' as scope, {{ user_column }} as scope_id, {{ relation }}.*
    from {{ relation }}
    union all
    select 'team' as scope, {{ team_column }} as scope_id, {{ relation }}.*
    from {{ relation }}
    union all
    select 'company' as scope, 'company' as scope_id, {{ relation }}.*
    from {{ relation }}
{%- endmacro %}

{#- Every stay of fct_opportunity_stage_history (as `relation`) once per way the stage
    review slices it: the company, the owner's team, the rep, the lead source and the
    month the deal was created (its cohort, labelled YYYY-MM on either engine). -#}
{% macro stage_review_slices(relation) -%}
    select 'company' as dimension, 'company' as dimension_value, {{ relation }}.*
    from {{ relation }}
    union all
    select 'team' as dimension, {{ relation }}.team_id as dimension_value, {{ relation }}.*
    from {{ relation }}
    union all
    select 'user' as dimension, {{ relation }}.owner_user_id as dimension_value, {{ relation }}.*
    from {{ relation }}
    union all
    select 'lead_source' as dimension, {{ relation }}.lead_source as dimension_value, {{ relation }}.*
    from {{ relation }}
    union all
    select
        'created_month' as dimension,
        substring(cast({{ relation }}.created_month as {{ dbt.type_string() }}), 1, 7) as dimension_value,
        {{ relation }}.*
    from {{ relation }}
{%- endmacro %}
