{#- Before every run: make the raw layer readable as `raw.<table>`. On DuckDB the loader
    writes those tables itself; on Spark they are the Parquet lake the loader exports
    (salesperf.lake), re-registered each run so new batch folders are seen. -#}
{% macro register_raw_tables() -%}
    {{ return(adapter.dispatch('register_raw_tables')()) }}
{%- endmacro %}

{% macro default__register_raw_tables() -%}
    select 1
{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- set lake = env_var('SALESPERF_SPARK_DIR', 'warehouse/spark') ~ '/lake' -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- for source in graph.sources.values() if source.source_name == 'crm' -%}
            {%- do run_query('drop table if exists raw.' ~ source.name) -%}
            {#- an external table: dropping it never touches the files -#}
            {%- do run_query(
                'create table raw.' ~ source.name
                ~ " using parquet location '" ~ lake ~ '/' ~ source.name ~ "'"
            ) -%}
            {%- do run_query('alter table raw.' ~ source.name ~ ' recover partitions') -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
