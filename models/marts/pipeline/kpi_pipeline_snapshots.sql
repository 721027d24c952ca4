-- Open pipeline at each snapshot (docs/kpi-catalogue.md, Pipeline and forecast): per
-- snapshot x rep, team and company x stage x expected close month, the opportunities open
-- then and their amounts as they then stood. Unknown amounts are left out of the sums.
with snapshots as (select * from {{ ref('fct_pipeline_snapshots') }}),

scoped as (
    select
        'user' as scope,
        snapshots.owner_user_id as scope_id,
        snapshots.*
    from snapshots
    union all
    select
        'team' as scope,
        snapshots.owner_team_id as scope_id,
        snapshots.*
    from snapshots
    union all
    select
        'company' as scope,
        'company' as scope_id,
        snapshots.*
    from snapshots
),

final as (
    select
        snapshot_date,
        snapshot_grain,
        scope,
        scope_id,
        stage,
        expected_close_month,
        count(*) as open_pipeline_count,
        {{ as_money(sum_known('pipeline_amount')) }} as open_pipeline_amount,
        {{ as_money(sum_known('weighted_amount')) }} as weighted_pipeline_amount
    from scoped
    group by snapshot_date, snapshot_grain, scope, scope_id, stage, expected_close_month
)

select * from final
