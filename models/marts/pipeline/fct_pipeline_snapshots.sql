-- The pipeline as it stood at each snapshot (the start of every ISO week and month): one
-- row per snapshot and opportunity open then, with the stage, amount and expected close
-- date of the version in force at that instant, not today's. An opportunity is open at t
-- when its version in force at t is live, was created by t and is not closed. It belongs
-- to its owner in its latest version (the catalogue's rule for opportunities) and counts
-- for the team that owner was in at t. Amounts convert at the creation date.
with snapshot_dates as (select * from {{ ref('int_pipeline_snapshot_dates') }}),
versions as (select * from {{ ref('int_opportunities__versioned') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),
users as (select * from {{ ref('int_users__versioned') }}),
stage_probabilities as (select * from {{ ref('stage_probabilities') }}),

instants as (
    select
        snapshot_date,
        snapshot_grain,
        -- 00:00 of the snapshot day in the reporting time zone
        cast(snapshot_date as timestamp) as snapshot_at
    from snapshot_dates
),

open_versions as (
    select
        instants.snapshot_date,
        instants.snapshot_grain,
        instants.snapshot_at,
        versions.opportunity_id,
        versions.stage,
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

final as (
    select
        converted.snapshot_date,
        converted.snapshot_grain,
        converted.opportunity_id,
        opportunities.owner_user_id,
        coalesce(owner_then.team_id, 'unassigned') as owner_team_id,
        converted.stage,
        stage_probabilities.probability as stage_probability,
        converted.expected_close_date,
        cast({{ dbt.date_trunc('month', 'converted.expected_close_date') }} as date)
            as expected_close_month,
        converted.pipeline_amount,
        converted.pipeline_amount * stage_probabilities.probability as weighted_amount
    from converted
    inner join opportunities on converted.opportunity_id = opportunities.opportunity_id
    left join users as owner_then
        on opportunities.owner_user_id = owner_then.user_id
        and {{ local_timestamp('owner_then.valid_from') }} <= converted.snapshot_at
        and converted.snapshot_at < {{ local_timestamp('owner_then.valid_to') }}
    left join stage_probabilities on converted.stage = stage_probabilities.stage
)

select * from final
