-- Every version of each live opportunity, with the interval [valid_from, valid_to) in
-- which it is in force: the pipeline as it stood at a past instant joins here with
-- in_force() (stage, amount, expected close date then, not now).
with versions as (
    {{ record_versions(ref('base_crm__opportunities'), ['opportunity_id']) }}
)

select * from versions
