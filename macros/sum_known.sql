{#- Unknown is not zero (docs/kpi-catalogue.md): add the known amounts of the rows matching
    `condition`; all of them unknown gives NULL, no matching row at all gives 0. The sum is
    exact (DECIMAL(38, 6)): a sum of doubles depends on the order the threads add them in, and a
    rerun, an incremental refresh and a full rebuild must agree. -#}
{% macro sum_known(amount, condition='true') -%}
    case
        when count(case when {{ condition }} then 1 end) = 0 then 0
        else sum(case when {{ condition }} then cast({{ amount }} as decimal(38, 6)) end)
    end
{%- endmacro %}
