-- Every version of each live lead record, with the interval [valid_from, valid_to) in which
-- it is in force: "as of an instant" lookups in docs/kpi-catalogue.md join here with in_force().
-- Incremental by lead (DuckDB): a run re-derives only the leads with a version loaded
-- since the last run (all their versions, so the intervals stay right); a lead whose
-- latest version is a delete is purged. 8 M versions at L were ranked twice every run.
{{ config(**incremental_by_key_config('lead_id')) }}
{{ config(post_hook="{{ purge_deleted('lead_id', ref('base_crm__leads')) }}") }}

{%- set raw_leads = ref('base_crm__leads') %}

with versions as (
    {{ record_versions(raw_leads, ['lead_id'], where=changed_records('lead_id', raw_leads)) }}
),

stamped as (
    select
        *,
        {{ built_at() }} as _built_at
    from versions
)

select * from stamped
