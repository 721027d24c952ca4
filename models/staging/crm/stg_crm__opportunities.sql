-- Not a view like most staging models: five models and three tests read the current
-- opportunities, and a view ranked all 2 M opportunity versions at L for each of them on
-- every refresh. Incremental by opportunity_id on DuckDB, like stg_crm__leads: a run
-- re-ranks only the records with a version loaded since the last run and purges those
-- whose latest version is a delete (Spark: a table).
-- depends_on: {{ source('crm', 'opportunities') }}
{{ config(**incremental_by_key_config('opportunity_id')) }}
{{ config(post_hook="{{ purge_deleted('opportunity_id', source('crm', 'opportunities')) }}") }}

{%- set versions = source('crm', 'opportunities') %}
{%- set changed = changed_records('opportunity_id', versions) %}

with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(versions, ['opportunity_id'], where=changed) }}
),

renamed as (
    select
        ---------- ids
        opportunity_id,
        account_id,
        owner_id as owner_user_id,
        lead_id,
        handoff_id,
        ---------- attributes
        opportunity_type,
        stage,
        currency,
        loss_reason,
        ---------- numerics
        amount,
        ---------- dates and timestamps
        created_at,
        close_date,
        ---------- flags
        is_closed,
        is_won,
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
