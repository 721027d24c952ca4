{#- How an incremental fact replaces the rows it re-reads; the one real difference
    between the engines here.
    DuckDB: delete+insert by the unique key; deleted records are purged by a post-hook.
    Spark (Parquet tables: no row-level DELETE or MERGE): insert_overwrite of whole
    partitions, so the incremental select must return every row of each partition it
    touches (incremental_scope) - Spark's default append would ignore unique_key. -#}
{% macro incremental_config(unique_key, partition_by) -%}
    {{ return(adapter.dispatch('incremental_config')(unique_key, partition_by)) }}
{%- endmacro %}

{% macro default__incremental_config(unique_key, partition_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_config(unique_key, partition_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [partition_by],
        'file_format': 'parquet',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{#- The filter of an incremental run over `relation` (a CTE of the model).
    changed: the rows to re-read (DuckDB replaces just those, by key).
    On Spark: every row of each partition holding a changed row, or holding a row of
    {{ this }} whose key is in `removed_keys` (a query), so the rewrite drops it. -#}
{% macro incremental_scope(relation, changed, partition, removed_keys) -%}
    {{ return(adapter.dispatch('incremental_scope')(relation, changed, partition, removed_keys)) }}
{%- endmacro %}

{% macro default__incremental_scope(relation, changed, partition, removed_keys) -%}
    ({{ changed }})
{%- endmacro %}

{% macro spark__incremental_scope(relation, changed, partition, removed_keys) -%}
    {{ partition.expression }} in (
        select {{ partition.expression }} from {{ relation }} where {{ changed }}
        union
        select this.{{ partition.column }}
        from {{ this }} as this
        where this.{{ partition.key }} in ({{ removed_keys }})
    )
{%- endmacro %}

{#- After an incremental run: delete the rows whose record's latest version (in the raw
    `versions` relation) is a delete (DuckDB). Only keys that have a delete version are
    ranked, so the cost follows the deletes, not the table. On Spark the partition
    rewrite has already dropped them. -#}
{% macro purge_deleted(key, versions) -%}
    {{ return(adapter.dispatch('purge_deleted')(key, versions)) }}
{%- endmacro %}

{% macro default__purge_deleted(key, versions) -%}
    delete from {{ this }}
    where {{ key }} in (
        select ranked.{{ key }}
        from (
            select
                {{ key }},
                is_deleted,
                row_number() over (partition by {{ key }} order by {{ version_order(true) }})
                    as _recency
            from {{ versions }}
            where {{ key }} in (select {{ key }} from {{ versions }} where is_deleted)
        ) as ranked
        where ranked._recency = 1 and ranked.is_deleted
    )
{%- endmacro %}

{% macro spark__purge_deleted(key, versions) -%}
    select 1
{%- endmacro %}
