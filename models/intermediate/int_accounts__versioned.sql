-- Every version of each live account record, with the interval [valid_from, valid_to) in which
-- it is in force: "as of an instant" lookups in kpis.md join here with in_force().
with source as (
    select * from {{ source('crm', 'accounts') }}
),

versions as (
    {{ record_versions('source', ['account_id']) }}
)

select * from versions
