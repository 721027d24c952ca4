{#- Unknown is not zero (kpis.md): add the known amounts of the rows matching `condition`;
    all of them unknown gives NULL, no matching row at all gives 0. -#}
{% macro sum_known(amount, condition='true') -%}
    case
        when count(case when {{ condition }} then 1 end) = 0 then 0
        else sum(case when {{ condition }} then {{ amount }} end)
    end
{%- endmacro %}
