{#- Personal data never reaches the marts in clear: staging replaces it with a salted
    SHA-256 of the normalised value, which still lets analysts count and join distinct
    contacts. The salt comes from the
    environment (SALESPERF_PII_SALT); set your own in production. -#}
{% macro hash_pii(column) -%}
    case
        when nullif(trim({{ column }}), '') is not null
            then {{ sha256_hex(
                "'" ~ env_var("SALESPERF_PII_SALT", "salesperf-dev-salt") ~ "' || lower(trim(" ~ column ~ "))"
            ) }}
    end
{%- endmacro %}

{#- Lower-case hex SHA-256 of a string: the same 64 characters on every engine. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
