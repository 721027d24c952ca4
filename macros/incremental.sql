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

{#- The newest raw load an incremental table has seen (an aggregate over its `column`);
    an empty table has seen none, so the next run reads everything. -#}
{% macro since_last_load(column) -%}
    coalesce(max({{ column }}), cast('1900-01-01' as timestamp))
{%- endmacro %}

{#- The keys of `versions` (a raw source) with a version loaded since {{ this }} last read
    it: what a table incremental by key re-derives. -#}
{% macro keys_loaded_since_last_run(key, versions) -%}
    select changed.{{ key }}
    from {{ versions }} as changed
    where changed._loaded_at > (
        select {{ since_last_load('this._loaded_at') }} from {{ this }} as this
    )
{%- endmacro %}

{#- A table whose rows are replaced record by record (every row of a changed key), with
    no period to partition by. DuckDB: delete+insert by the key. Spark's Parquet tables
    have neither row-level DELETE nor MERGE, and without a partition that holds all of a
    key's rows a rewrite is the whole table: there it stays a table, rebuilt each run. -#}
{% macro incremental_by_key_config(unique_key) -%}
    {{ return(adapter.dispatch('incremental_by_key_config')(unique_key)) }}
{%- endmacro %}

{% macro default__incremental_by_key_config(unique_key) -%}
    {{ return(default__incremental_config(unique_key, none)) }}
{%- endmacro %}

{% macro spark__incremental_by_key_config(unique_key) -%}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
{%- endmacro %}

{#- The filter of an incremental run over `relation` (a CTE of the model, or a relation).
    changed: the rows to re-read (DuckDB replaces just those, by key; fct_activities reads
    only those records on DuckDB already and skips the filter).
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

{#- Drop the periods of {{ this }} that are no longer in `source` (a relation or a
    parenthesised query with a `column` column) at all: every row of the month deleted or
    moved away. A rewrite of the periods that still have rows cannot reach them: DuckDB's
    delete+insert deletes by the periods it inserts, Spark's insert_overwrite replaces only
    the partitions its select returns. -#}
{% macro purge_vanished_periods(column, source) -%}
    {{ return(adapter.dispatch('purge_vanished_periods')(column, source)) }}
{%- endmacro %}

{% macro default__purge_vanished_periods(column, source) -%}
    delete from {{ this }}
    where {{ column }} not in (select distinct periods.{{ column }} from {{ source }} as periods)
{%- endmacro %}

{% macro spark__purge_vanished_periods(column, source) -%}
    {#- Parquet tables have no DELETE: drop the partitions, found first (the partition
        spec of ALTER TABLE takes literals only) -#}
    {%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- set vanished = [] -%}
    {%- if execute and existing is not none -%}
        {%- set found -%}
            select distinct this.{{ column }}
            from {{ this }} as this
            where this.{{ column }} not in (select periods.{{ column }} from {{ source }} as periods)
        {%- endset -%}
        {%- for row in run_query(found) -%}
            {%- do vanished.append("partition (" ~ column ~ " = '" ~ row[0] ~ "')") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if vanished -%}
        alter table {{ this }} drop if exists {{ vanished | join(', ') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- When this run started, stamped on every row an incremental model writes: the rows a
    run rewrote are the ones with the table's latest stamp (a full build stamps all), which
    is what the data tests of an incremental table check (get_where_subquery). -#}
{% macro built_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- dbt's `where` test config, plus one phrase: `where: rows rebuilt by the latest run`
    checks only the rows the model's latest run wrote (its latest _built_at). On an
    incremental table the rows it did not rewrite were checked when they were written and
    have not changed since; a full build rewrites, and so checks, every row. Sound for the
    tests whose failures are rows (not_null, accepted_values) and for uniqueness of the
    key a run replaces whole (a rewritten key keeps no older row beside it).
    Why an override: `where` is a literal filter and dbt has no other hook for one whose
    value must be looked up at run time; overriding get_where_subquery is the extension
    point dbt's documentation of `where` gives for exactly this. Anything else passes
    through unchanged. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == 'rows rebuilt by the latest run' -%}
        {%- set where -%}
            _built_at = (select max(latest._built_at) from {{ relation }} as latest)
        {%- endset -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') as dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The filter an incremental run puts on a model's raw versions: the records with a
    version loaded since the last run (their every version, so ranks and intervals stay
    right). None on a full build. -#}
{% macro changed_records(key, versions) -%}
    {%- if is_incremental() -%}
        {{ return(key ~ ' in (' ~ keys_loaded_since_last_run(key, versions) ~ ')') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
