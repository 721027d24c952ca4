-- Not a view like the other staging models: four models and two tests read the current
-- leads, and a view ranked all 8 M lead versions at L for each of them on every refresh.
-- Incremental by lead on DuckDB: a run re-ranks only the leads with a version loaded since
-- the last run and purges the leads whose latest version is a delete (Spark: a table).
-- depends_on: {{ source('crm', 'leads') }}
{{ config(**incremental_by_key_config('lead_id')) }}
{{ config(post_hook="{{ purge_deleted('lead_id', source('crm', 'leads')) }}") }}

{%- set versions = source('crm', 'leads') %}

with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(versions, ['lead_id'], where=changed_records('lead_id', versions)) }}
),

renamed as (
    select
        ---------- ids
        lead_id,
        owner_id as owner_user_id,
        account_id,
        ---------- attributes
        source,
        company_name,
        -- personal data leaves staging only as salted hashes (macros/hash_pii.sql)
        {{ hash_pii('email') }} as email_hash,
        {{ hash_pii('phone') }} as phone_hash,
        industry,
        status,
        ---------- numerics
        employee_count,
        ---------- dates and timestamps
        created_at,
        ---------- flags
        budget_confirmed,
        authority_confirmed,
        need_confirmed,
        timing_confirmed,
        ---------- lineage: which delivery this version came from
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra,
        {{ built_at() }} as _built_at
    from latest
)

select * from renamed
