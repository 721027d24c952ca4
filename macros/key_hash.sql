{#- One 64-bit hash of several columns: a narrow stand-in for a wide key where a
    collision is checked afterwards (unique_combination). -#}
{% macro key_hash(columns) -%}
    {{ return(adapter.dispatch('key_hash')(columns)) }}
{%- endmacro %}

{%- macro default__key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{%- macro spark__key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
