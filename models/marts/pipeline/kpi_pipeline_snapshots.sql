-- Open pipeline at each snapshot (docs/kpi-catalogue.md, Pipeline and forecast): per
-- snapshot x rep, team and company x stage x forecast category x expected close month, the
-- opportunities open then and their amounts as they then stood. Unknown amounts are left
-- out of the sums. Grain as_of is the pipeline at the end of the as-of date.
with snapshots as (select * from {{ ref('fct_pipeline_snapshots') }}),

scoped as (
    {{ rep_team_and_company('snapshots', 'snapshots.owner_user_id', 'snapshots.owner_team_id') }}
),

final as (
    select
        snapshot_date,
        snapshot_grain,
        scope,
        scope_id,
        stage,
        stage_order,
        forecast_category,
        expected_close_month,
        count(*) as open_pipeline_count,
        {{ as_money(sum_known('pipeline_amount')) }} as open_pipeline_amount,
        {{ as_money(sum_known('weighted_amount')) }} as weighted_pipeline_amount
    from scoped
    group by
        snapshot_date,
        snapshot_grain,
        scope,
        scope_id,
        stage,
        stage_order,
        forecast_category,
        expected_close_month
)

select * from final
