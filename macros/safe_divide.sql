{#- A ratio that is NULL, never 0 and never an error, when the denominator is 0 or unknown.
    Both sides are parenthesised: callers pass expressions such as `won + lost`. -#}
{% macro safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast(({{ numerator }}) as double) / ({{ denominator }})
    end
{%- endmacro %}
