{#- Every KPI that is a ratio, defined once: the additive number it divides and the one it
    divides by. A rate over a team, a quarter or the company is always the sum of the
    numerators over the sum of the denominators, never an average of rates.

    Everything that shows a ratio KPI derives from this dictionary:
    - the KPI marts compute it with {{ kpi('win_rate') }} over their own columns;
    - the metric registry (int_metric_registry) takes every KPI whose two parts are
      registry metrics, so goals, scorecards, leaderboards, contests, quota and coaching
      can name it;
    - the semantic layer's ratio metrics divide the measures of the same two parts
      (tests/test_dbt_project.py holds them to this dictionary).
    docs/kpi-catalogue.md names each KPI; its formula is its entry here. Labels and
    descriptions become SQL string literals (int_metric_registry): no quotes in them. -#}
{% macro kpi_definitions() -%}
    {{ return({
        'qualified_lead_rate': {
            'numerator': 'qualified_leads_sent', 'denominator': 'leads_sent',
            'label': 'Qualified lead rate',
            'description': 'Of the leads an SDR sent, the share that met the strict rules when sent.',
        },
        'qualification_efficiency': {
            'numerator': 'qualified_leads_sent', 'denominator': 'calls',
            'label': 'Qualification efficiency',
            'description': 'Qualified leads sent per call.',
        },
        'acceptance_rate': {
            'numerator': 'handoffs_accepted', 'denominator': 'handoffs_decided',
            'label': 'Acceptance rate',
            'description': 'Of the handoffs the AE decided on, the share accepted.',
        },
        'close_rate': {
            'numerator': 'deals_won', 'denominator': 'opportunities_worked',
            'label': 'Close rate',
            'description': 'Deals won per opportunity worked.',
        },
        'win_rate': {
            'numerator': 'deals_won', 'denominator': 'deals_closed',
            'label': 'Win rate',
            'description': 'Of the deals decided (won or lost), the share won.',
        },
        'avg_deal_size': {
            'numerator': 'bookings_amount', 'denominator': 'deals_won', 'unit': 'currency',
            'label': 'Average deal size',
            'description': 'Bookings per deal won.',
        },
        'avg_sales_cycle_days': {
            'numerator': 'sales_cycle_days_total', 'denominator': 'deals_won', 'unit': 'days',
            'label': 'Average sales cycle (days)',
            'description': 'Mean days from creation to close of the deals won.',
        },
        'calls_per_opportunity': {
            'numerator': 'calls_on_closed_opportunities', 'denominator': 'opportunities_closed',
            'label': 'Calls per opportunity',
            'description': 'Calls logged against the opportunities closed, per opportunity closed.',
        },
        'upsell_rate': {
            'numerator': 'portfolio_growth', 'denominator': 'initial_portfolio_value',
            'label': 'Upsell rate (lifecycle)',
            'description': 'Growth of the value of the book over its value when the accounts were won.',
        },
        'net_revenue_retention': {
            'numerator': 'retained_portfolio_value', 'denominator': 'starting_portfolio_value',
            'label': 'Net revenue retention',
            'description': 'The value at this month end of the book of last month, over its value then.',
        },
        'opportunity_conversion_rate': {
            'numerator': 'opportunities_won_to_date', 'denominator': 'opportunities_created',
            'label': 'Opportunity conversion rate',
            'description': 'Of the opportunities created in the month, the share won so far.',
        },
        'lead_to_opportunity_rate': {
            'numerator': 'leads_converted', 'denominator': 'leads_created',
            'label': 'Lead-to-opportunity rate',
            'description': 'Of the leads created in the month, the share that became an opportunity.',
        },
        'qualified_share': {
            'numerator': 'leads_sent_qualified', 'denominator': 'leads_created',
            'label': 'Qualified share',
            'description': 'Of the leads created in the month, the share ever sent to an AE qualified.',
        },
        'revenue_per_rep': {
            'numerator': 'revenue', 'denominator': 'quota_carrying_reps', 'unit': 'currency',
            'label': 'Revenue per rep',
            'description': 'Revenue per quota-carrying rep (AE or AM).',
        },
        'calls_per_rep': {
            'numerator': 'calls', 'denominator': 'active_reps',
            'label': 'Calls per rep',
            'description': 'Calls per active rep (SDR, AE or AM).',
        },
        'avg_basket_per_customer': {
            'numerator': 'revenue', 'denominator': 'customers', 'unit': 'currency',
            'label': 'Average basket per customer',
            'description': 'Revenue per customer with a won deal.',
        },
        'cac': {
            'numerator': 'sales_and_marketing_cost', 'denominator': 'new_customers',
            'unit': 'currency',
            'label': 'Customer acquisition cost',
            'description': 'Sales and marketing cost per new customer.',
        },
        'attainment': {
            'numerator': 'actual', 'denominator': 'target',
            'label': 'Attainment',
            'description': 'The actual against the goal (1.0 is the goal met).',
        },
        'share_at_or_above_quota': {
            'numerator': 'reps_at_or_above_quota', 'denominator': 'reps_with_quota',
            'label': 'Share at or above quota',
            'description': 'Of the reps with a quota above zero, the share who reached it.',
        },
        'pace': {
            'numerator': 'actual', 'denominator': 'expected_to_date',
            'label': 'Pace',
            'description': 'The actual against the part of the goal due by the as-of date.',
        },
        'stage_conversion_rate': {
            'numerator': 'stays_converted', 'denominator': 'stays_moved_on',
            'label': 'Stage conversion rate',
            'description': 'Of the stays in a stage that have ended, the share that went on to a later stage or a win.',
        },
        'slip_rate': {
            'numerator': 'pushed_count', 'denominator': 'expected_count',
            'label': 'Slip rate',
            'description': 'Of the deals expected to close in a period at its start, the share pushed past it.',
        },
        'pipeline_coverage': {
            'numerator': 'pipeline_in_period_amount', 'denominator': 'quota_to_go',
            'label': 'Pipeline coverage',
            'description': 'Open pipeline expected to close in the period per unit of quota still to go.',
        },
        'forecast_attainment': {
            'numerator': 'bookings_amount', 'denominator': 'commit_amount',
            'label': 'Forecast attainment',
            'description': 'Bookings against the latest commit submitted before the period started.',
        },
        'forecast_percentage_error': {
            'numerator': 'absolute_forecast_error', 'denominator': 'bookings_amount',
            'label': 'Absolute percentage error',
            'description': 'How far the statistical forecast missed, per unit of actual bookings.',
        },
        'ote_attainment': {
            'numerator': 'variable_pay_to_date', 'denominator': 'on_target_variable_to_date',
            'label': 'On-target earnings attainment',
            'description': 'Variable pay this year to date against the on-target variable pay of the plans for the same days.',
        },
    }) }}
{%- endmacro %}

{#- The parts some KPIs divide that are themselves sums of other numbers, written once. A
    mart that keeps only the terms computes the part from them. -#}
{% macro kpi_parts() -%}
    {{ return({
        'deals_closed': 'deals_won + deals_lost',
        'handoffs_decided': 'handoffs_accepted + handoffs_rejected',
        'portfolio_growth': 'portfolio_value - initial_portfolio_value',
    }) }}
{%- endmacro %}

{#- A KPI's value from the columns in scope: its numerator over its denominator, NULL when
    the denominator is 0 or unknown (safe_divide), money rounded to the cent. `columns`
    binds a part to another column or expression where the model names it otherwise
    (attainment's `actual` is a scorecard's `resolved.value`). -#}
{% macro kpi(name, columns={}) -%}
    {%- if name not in kpi_definitions() -%}
        {{ exceptions.raise_compiler_error("kpi('" ~ name ~ "'): no KPI of that name in macros/kpis.sql") }}
    {%- endif -%}
    {%- set definition = kpi_definitions()[name] -%}
    {%- set value = safe_divide(
        kpi_part(definition.numerator, columns), kpi_part(definition.denominator, columns)
    ) -%}
    {%- if definition.get('unit') == 'currency' -%}
        {{ as_money(value) }}
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}

{#- One part of a KPI as SQL: the column the caller binds it to, else its definition in
    kpi_parts, else the column of that name. -#}
{% macro kpi_part(part, columns={}) -%}
    {{- columns.get(part) or kpi_parts().get(part) or part -}}
{%- endmacro %}
