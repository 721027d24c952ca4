-- A user on two plans on the same day would be paid twice for every credit that day: the
-- assignments must follow one another. A warning, not an error: the statements still build
-- and name what to fix in the comp tool.
{{ config(severity='warn') }}

with assignments as (select * from {{ ref('stg_crm__comp_plan_assignments') }})

select
    earlier.user_id,
    earlier.assignment_id,
    later.assignment_id as overlapping_assignment_id
from assignments as earlier
inner join assignments as later
    on earlier.user_id = later.user_id
    and earlier.assignment_id < later.assignment_id
    -- both dates are days on the plan; no end date: still on it
    and (later.end_date is null or earlier.start_date <= later.end_date)
    and (earlier.end_date is null or earlier.end_date >= later.start_date)
