{#- Personal data never reaches the marts in clear: a salted SHA-256 of the normalised
    value still lets analysts count and join distinct contacts. The salt comes from the
    environment (SALESPERF_PII_SALT); set your own in production. -#}
{% macro hash_pii(column) -%}
    case
        when nullif(trim({{ column }}), '') is not null
            then sha256('{{ env_var("SALESPERF_PII_SALT", "salesperf-dev-salt") }}' || lower(trim({{ column }})))
    end
{%- endmacro %}
