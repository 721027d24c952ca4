{#- 0 .. 10^digits - 1 as column `n`, portable (no generate_series): the spine of dates. -#}
{% macro integers(digits) -%}
    select
        {% for i in range(digits) -%}
            d{{ i }}.n * {{ 10 ** i }}{{ ' + ' if not loop.last }}
        {%- endfor %} as n
    from
        {% for i in range(digits) -%}
            (select * from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as t (n))
                as d{{ i }}{{ ',' if not loop.last }}
        {% endfor %}
{%- endmacro %}
