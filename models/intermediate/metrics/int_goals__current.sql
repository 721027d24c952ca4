-- The goals in force: one per scope x scope_id x metric x grain x period, with the period
-- start moved to the start of its grain (a monthly goal dated the 3rd is that month's) and
-- company goals keyed 'company'. Two goals for the same slot: the newest wins.
with goals as (select * from {{ ref('stg_crm__goals') }}),

normalised as (
    select
        goal_id,
        scope,
        case when scope = 'company' then 'company' else scope_id end as scope_id,
        metric,
        grain,
        {{ period_start_of('grain', 'period_start') }} as period_start,
        target,
        updated_at
    from goals
),

ranked as (
    select
        normalised.*,
        row_number() over (
            partition by
                normalised.scope,
                normalised.scope_id,
                normalised.metric,
                normalised.grain,
                normalised.period_start
            order by normalised.updated_at desc, normalised.goal_id desc
        ) as newest_first
    from normalised
)

select
    goal_id,
    scope,
    scope_id,
    metric,
    grain,
    period_start,
    {{ period_end('grain', 'period_start') }} as period_end,
    cast(target as double) as target
from ranked
where newest_first = 1 and scope_id is not null
