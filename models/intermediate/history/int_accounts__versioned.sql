-- Every version of each live account record, with the interval [valid_from, valid_to) in which
-- it is in force: "as of an instant" lookups in docs/kpi-catalogue.md join here with in_force().
with versions as (
    {{ record_versions(ref('base_crm__accounts'), ['account_id']) }}
)

select * from versions
