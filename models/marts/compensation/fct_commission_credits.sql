-- Who is credited for what (docs/kpi-catalogue.md, Compensation): one row per credit.
-- A won deal credits its owner at close (bookings), the SDR whose accepted handoff sourced
-- it (sourced won amount) and the manager of the owner's team at close (override; not on
-- the manager's own deal); an accepted handoff credits its SDR. Wins later undone stay, as
-- they were paid, with when and why they were undone: a deal deleted or reopened, or its
-- account churned (its last contract ended with no later one).
with opportunities as (select * from {{ ref('fct_opportunities') }}),
reversed as (select * from {{ ref('int_opportunities__reversed_wins') }}),
sourced as (select * from {{ ref('int_opportunities__sourced') }}),
handoffs as (select * from {{ ref('stg_crm__lead_handoffs') }}),
users as (select * from {{ ref('int_users__versioned') }}),
teams as (select * from {{ ref('stg_crm__teams') }}),
contracts as (select * from {{ ref('stg_crm__contracts') }}),
period as (select * from {{ ref('int_reporting_period') }}),

wins as (
    select
        opportunity_id,
        account_id,
        owner_user_id,
        opportunity_type,
        close_date,
        won_amount,
        cast(null as date) as reversed_on,
        cast(null as {{ dbt.type_string() }}) as reversal
    from opportunities
    where is_won and close_date is not null
    union all
    select
        opportunity_id,
        account_id,
        owner_user_id,
        opportunity_type,
        close_date,
        won_amount,
        reversed_on,
        reversal
    from reversed
),

handoff_sources as (
    -- a deleted deal is no longer in int_opportunities__sourced: its accepted handoff
    -- still names it
    select
        opportunity_id,
        max(sdr_user_id) as sdr_user_id
    from handoffs
    where decision = 'accepted' and opportunity_id is not null
    group by opportunity_id
),

churns as (
    select
        contracts.account_id,
        cast({{ dbt.dateadd('day', 1, 'max(contracts.end_date)') }} as date) as churned_on
    from contracts
    group by contracts.account_id
    having count(case when contracts.end_date is null then 1 end) = 0
),

undone as (
    select
        wins.*,
        coalesce(sourced.sourcing_sdr_user_id, handoff_sources.sdr_user_id) as sourcing_sdr_user_id,
        coalesce(owner_then.team_id, 'unassigned') as team_id,
        teams.manager_user_id,
        case
            when wins.reversed_on is not null then wins.reversed_on
            when churns.churned_on > wins.close_date then churns.churned_on
        end as undone_on,
        case
            when wins.reversed_on is not null then wins.reversal
            when churns.churned_on > wins.close_date then 'churned'
        end as undone_reason
    from wins
    cross join period
    left join sourced on wins.opportunity_id = sourced.opportunity_id
    left join handoff_sources on wins.opportunity_id = handoff_sources.opportunity_id
    left join users as owner_then
        on wins.owner_user_id = owner_then.user_id
        and {{ in_force('owner_then', end_of_day('wins.close_date')) }}
    left join teams on owner_then.team_id = teams.team_id
    left join churns
        on wins.account_id = churns.account_id
        and period.as_of_date >= churns.churned_on
),

credits as (
    select
        'owner' as credit_type,
        undone.owner_user_id as credited_user_id,
        undone.*
    from undone
    union all
    select
        'sourcing_sdr' as credit_type,
        undone.sourcing_sdr_user_id as credited_user_id,
        undone.*
    from undone
    where undone.sourcing_sdr_user_id is not null
    union all
    select
        'manager_override' as credit_type,
        undone.manager_user_id as credited_user_id,
        undone.*
    from undone
    where undone.manager_user_id is not null and undone.manager_user_id <> undone.owner_user_id
),

final as (
    select
        -- a deal won, reopened and won again on the same close date is two credits
        credits.credit_type || ':' || credits.opportunity_id || ':'
        || cast(credits.close_date as {{ dbt.type_string() }})
        || coalesce(
            ':reversed ' || cast(credits.reversed_on as {{ dbt.type_string() }}), ''
        ) as credit_id,
        credits.credit_type,
        credits.credited_user_id,
        credits.opportunity_id,
        cast(null as {{ dbt.type_string() }}) as handoff_id,
        credits.opportunity_type,
        credits.team_id,
        credits.close_date as credit_date,
        cast({{ dbt.date_trunc('month', 'credits.close_date') }} as date) as credit_month,
        credits.won_amount as credited_amount,
        credits.undone_on,
        credits.undone_reason
    from credits
    union all
    select
        'accepted_handoff:' || handoffs.handoff_id as credit_id,
        'accepted_handoff' as credit_type,
        handoffs.sdr_user_id as credited_user_id,
        handoffs.opportunity_id,
        handoffs.handoff_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_type,
        cast(null as {{ dbt.type_string() }}) as team_id,
        {{ local_date('handoffs.decided_at') }} as credit_date,
        {{ month_of('handoffs.decided_at') }} as credit_month,
        cast(null as double) as credited_amount,
        cast(null as date) as undone_on,
        cast(null as {{ dbt.type_string() }}) as undone_reason
    from handoffs
    where handoffs.decision = 'accepted' and handoffs.decided_at is not null
)

select * from final
