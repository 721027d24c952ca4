-- Not a view like most staging models: five models and three tests read the current
-- opportunities, and a view ranked all 2 M opportunity versions at L for each of them on
-- every refresh. Incremental by opportunity_id on DuckDB, like stg_crm__leads: a run
-- re-ranks only the records with a version loaded since the last run and purges those
-- whose latest version is a delete (Spark: a table). base_crm__opportunities holds every
-- delivered version, already renamed.
{{ config(**incremental_by_key_config('opportunity_id')) }}
{{ config(post_hook="{{ purge_deleted('opportunity_id', ref('base_crm__opportunities')) }}") }}

{%- set versions = ref('base_crm__opportunities') %}
{%- set changed = changed_records('opportunity_id', versions) %}

with latest as (
    -- extracts are upserts: the newest live version of each record
    {{ latest_version(versions, ['opportunity_id'], where=changed) }}
),

final as (
    select
        opportunity_id,
        account_id,
        owner_user_id,
        lead_id,
        handoff_id,
        opportunity_type,
        stage,
        currency,
        loss_reason,
        forecast_category,
        amount,
        probability,
        created_at,
        close_date,
        is_closed,
        is_won,
        updated_at,
        _batch_id,
        _row_number,
        _loaded_at,
        _extra,
        {{ built_at() }} as _built_at
    from latest
)

select * from final
