-- Not a view like the other staging models: four models and two tests read the current
-- leads, and a view ranked all 8 M lead versions at L for each of them on every refresh.
-- Incremental by lead on DuckDB: a run re-ranks only the leads with a version loaded since
-- the last run and purges the leads whose latest version is a delete (Spark: a table).
-- base_crm__leads holds every delivered version, already renamed and hashed.
{{ config(**incremental_by_key_config('lead_id')) }}
{{ config(post_hook="{{ purge_deleted('lead_id', ref('base_crm__leads')) }}") }}

{%- set versions = ref('base_crm__leads') %}

with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(versions, ['lead_id'], where=changed_records('lead_id', versions)) }}
),

final as (
    select
        lead_id,
        owner_user_id,
        account_id,
        source,
        company_name,
        email_hash,
        phone_hash,
        industry,
        status,
        employee_count,
        created_at,
        budget_confirmed,
        authority_confirmed,
        need_confirmed,
        timing_confirmed,
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra,
        {{ built_at() }} as _built_at
    from latest
)

select * from final
