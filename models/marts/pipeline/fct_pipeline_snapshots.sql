-- The pipeline as it stood at each snapshot (the start of every ISO week and month): one
-- row per snapshot and opportunity open then, with the stage, amount and expected close
-- date of the version in force at that instant, not today's. An opportunity is open at t
-- when its version in force at t is live, was created by t and is not closed. It belongs
-- to its owner in its latest version (the catalogue's rule for opportunities) and counts
-- for the team that owner was in at t. Amounts convert at the creation date. A deal is
-- weighted by its own probability when the CRM delivers one, else by its stage's in the
-- seed, else by the stage's win rate over the 12 months before t; its forecast category
-- is its own, else its stage's in the seed.
with snapshot_dates as (select * from {{ ref('int_pipeline_snapshot_dates') }}),
versions as (select * from {{ ref('int_opportunities__versioned') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),
users as (select * from {{ ref('int_users__versioned') }}),
stage_probabilities as (select * from {{ ref('stage_probabilities') }}),
historical as (select * from {{ ref('int_stage_win_rates__snapshots') }}),

instants as (
    select
        snapshot_date,
        snapshot_grain,
        snapshot_at
    from snapshot_dates
),

open_versions as (
    select
        instants.snapshot_date,
        instants.snapshot_grain,
        instants.snapshot_at,
        versions.opportunity_id,
        versions.stage,
        versions.probability,
        versions.forecast_category,
        versions.amount,
        versions.currency,
        versions.close_date as expected_close_date,
        versions.created_at
    from instants
    inner join versions
        on {{ local_timestamp('versions.valid_from') }} <= instants.snapshot_at
        and instants.snapshot_at < {{ local_timestamp('versions.valid_to') }}
    where
        {{ local_timestamp('versions.created_at') }} <= instants.snapshot_at
        and not versions.is_closed
),

converted as (
    select
        open_versions.*,
        {{ in_reporting_currency('open_versions.amount', 'open_versions.currency', 'fx') }}
            as pipeline_amount
    from open_versions
    {{ fx_join('fx', 'open_versions.currency', local_date('open_versions.created_at')) }}
),

weighted as (
    select
        converted.*,
        case
            when converted.probability is not null then 'opportunity'
            when stage_probabilities.probability is not null then 'stage'
            when historical.win_rate is not null then 'stage_history'
        end as probability_source,
        coalesce(
            converted.probability, stage_probabilities.probability, historical.win_rate
        ) as win_probability,
        coalesce(converted.forecast_category, stage_probabilities.forecast_category)
            as forecast_category_then,
        stage_probabilities.stage_order
    from converted
    left join stage_probabilities on converted.stage = stage_probabilities.stage
    left join historical
        on converted.snapshot_date = historical.snapshot_date
        and converted.snapshot_grain = historical.snapshot_grain
        and converted.stage = historical.stage
),

final as (
    select
        weighted.snapshot_date,
        weighted.snapshot_grain,
        weighted.opportunity_id,
        opportunities.owner_user_id,
        coalesce(owner_then.team_id, 'unassigned') as owner_team_id,
        weighted.stage,
        weighted.stage_order,
        weighted.forecast_category_then as forecast_category,
        weighted.win_probability,
        weighted.probability_source,
        weighted.created_at,
        weighted.expected_close_date,
        cast({{ dbt.date_trunc('month', 'weighted.expected_close_date') }} as date)
            as expected_close_month,
        weighted.pipeline_amount,
        weighted.pipeline_amount * weighted.win_probability as weighted_amount
    from weighted
    inner join opportunities on weighted.opportunity_id = opportunities.opportunity_id
    left join users as owner_then
        on opportunities.owner_user_id = owner_then.user_id
        and {{ local_timestamp('owner_then.valid_from') }} <= weighted.snapshot_at
        and weighted.snapshot_at < {{ local_timestamp('owner_then.valid_to') }}
)

select * from final
