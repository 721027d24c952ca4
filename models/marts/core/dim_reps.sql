-- One row per live user: who they are now, plus the roles they have held. No email:
-- personal data stays out of the marts BI tools read.
with versions as (select * from {{ ref('int_users__versioned') }}),

history as (
    select
        user_id,
        bool_or(role = 'SDR') as was_ever_sdr,
        bool_or(role = 'AE') as was_ever_ae,
        bool_or(role = 'AM') as was_ever_am,
        min(case when role = 'AE' and version_number > 1 then valid_from end)
            as became_ae_at,
        count(*) as versions
    from versions
    group by user_id
)

select
    versions.user_id,
    versions.full_name,
    versions.role,
    coalesce(versions.team_id, 'unassigned') as team_id,
    versions.manager_user_id,
    versions.hire_date,
    versions.termination_date,
    history.was_ever_sdr,
    history.was_ever_ae,
    history.was_ever_am,
    history.became_ae_at,
    history.versions
from versions
inner join history on versions.user_id = history.user_id
where versions.is_current
