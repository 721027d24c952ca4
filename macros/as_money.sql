{#- Money leaves the marts as an exact decimal with cents, so BI tools sum and show it
    without float noise (9.94652e+06). 38 digits: no fat-fingered amount can overflow the
    build before the plausibility gate gets to name it. -#}
{% macro as_money(expression) -%}
    cast(round({{ expression }}, 2) as decimal(38, 2))
{%- endmacro %}
