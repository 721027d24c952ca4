-- Every version of each live lead record, with the interval [valid_from, valid_to) in which
-- it is in force: "as of an instant" lookups in kpis.md join here with in_force().
with source as (
    select * from {{ source('crm', 'leads') }}
),

versions as (
    {{ record_versions('source', ['lead_id']) }}
)

select * from versions
