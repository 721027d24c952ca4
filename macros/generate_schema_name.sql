{#- Schemas are the layer names (staging, intermediate, marts, reference) so analysts
    and BI tools find `marts.kpi_company_monthly` without a target prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
