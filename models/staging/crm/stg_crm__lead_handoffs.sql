-- Not a view like most staging models: three models and three tests read the current
-- handoffs, and a view ranked all 3 M handoff versions at L for each of them on every
-- refresh. Incremental by handoff_id on DuckDB, like stg_crm__leads: a run re-ranks only
-- the records with a version loaded since the last run and purges those whose latest
-- version is a delete (Spark: a table).
-- depends_on: {{ source('crm', 'lead_handoffs') }}
{{ config(**incremental_by_key_config('handoff_id')) }}
{{ config(post_hook="{{ purge_deleted('handoff_id', source('crm', 'lead_handoffs')) }}") }}

{%- set versions = source('crm', 'lead_handoffs') %}

with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(versions, ['handoff_id'], where=changed_records('handoff_id', versions)) }}
),

renamed as (
    select
        ---------- ids
        handoff_id,
        lead_id,
        sdr_id as sdr_user_id,
        ae_id as ae_user_id,
        opportunity_id,
        ---------- attributes
        decision,
        rejection_reason,
        feedback,
        ---------- dates and timestamps
        sent_at,
        decided_at,
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
