-- One row per live opportunity: owner (latest version), the owner's team when the deal
-- was created and when it closed, amounts in the reporting currency, the SDR handoff
-- that sourced it and the calls logged against it.
with opportunities as (select * from {{ ref('stg_crm__opportunities') }}),
sourced as (select * from {{ ref('int_opportunities__sourced') }}),
users as (select * from {{ ref('int_users__versioned') }}),
accounts as (select * from {{ ref('stg_crm__accounts') }}),
account_deliveries as (select * from {{ ref('base_crm__accounts') }}),
activities as (select * from {{ ref('fct_activities') }}),

ever_ae as (
    select distinct user_id from users
    where role = 'AE'
),

deleted_accounts as (
    -- delivered, but not live: a deleted account is never a customer
    select distinct account_deliveries.account_id
    from account_deliveries
    where account_deliveries.account_id not in (select accounts.account_id from accounts)
),

calls as (
    select
        opportunity_id,
        count(*) as calls_logged
    from activities
    where is_call and opportunity_id is not null
    group by opportunity_id
),

dated as (
    select
        *,
        {{ local_date('created_at') }} as created_date,
        case when is_closed then close_date end as closed_on
    from opportunities
),

converted as (
    select
        dated.*,
        {{ in_reporting_currency('dated.amount', 'dated.currency', 'fx_created') }}
            as pipeline_amount,
        case when dated.is_closed then
                {{ in_reporting_currency('dated.amount', 'dated.currency', 'fx_closed') }}
        end as closed_amount,
        {{ fx_rate_missing('dated.amount', 'dated.currency', 'fx_created') }}
        or (
            dated.is_closed and {{ fx_rate_missing('dated.amount', 'dated.currency', 'fx_closed') }}
        )
            as is_fx_rate_missing
    from dated
    {{ fx_join('fx_created', 'dated.currency', 'dated.created_date') }}
    {{ fx_join('fx_closed', 'dated.currency', 'dated.closed_on') }}
),

final as (
    select
        converted.opportunity_id,
        converted.opportunity_type,
        converted.account_id,
        case
            when converted.account_id not in (
                    select deleted_accounts.account_id from deleted_accounts
                )
                then converted.account_id
        end as customer_account_id,
        converted.owner_user_id,
        ever_ae.user_id is not null as is_owner_ever_ae,
        owner_at_creation.role as owner_role_at_creation,
        coalesce(owner_at_creation.team_id, 'unassigned') as team_id_at_creation,
        case when converted.is_closed then owner_at_close.role end as owner_role_at_close,
        case
            when converted.is_closed then coalesce(owner_at_close.team_id, 'unassigned')
        end as team_id_at_close,
        converted.stage,
        converted.created_at,
        converted.created_date,
        {{ month_of('converted.created_at') }} as created_month,
        converted.closed_on as close_date,
        cast({{ dbt.date_trunc('month', 'converted.closed_on') }} as date) as close_month,
        converted.is_closed,
        converted.is_closed and converted.is_won as is_won,
        converted.is_closed and not converted.is_won as is_lost,
        converted.loss_reason,
        case
            when converted.is_closed
                then {{ dbt.datediff('converted.created_date', 'converted.closed_on', 'day') }}
        end as sales_cycle_days,
        converted.amount as amount_original,
        converted.currency as currency_original,
        converted.pipeline_amount,
        converted.closed_amount,
        case when converted.is_won then converted.closed_amount end as won_amount,
        converted.is_fx_rate_missing,
        converted.lead_id,
        sourced.sourcing_handoff_id,
        sourced.sourcing_sdr_user_id,
        coalesce(calls.calls_logged, 0) as calls_logged
    from converted
    left join sourced on converted.opportunity_id = sourced.opportunity_id
    left join ever_ae on converted.owner_user_id = ever_ae.user_id
    left join users as owner_at_creation
        on converted.owner_user_id = owner_at_creation.user_id
        and {{ in_force('owner_at_creation', 'converted.created_at') }}
    left join users as owner_at_close
        on converted.owner_user_id = owner_at_close.user_id
        and {{ in_force('owner_at_close', end_of_day('converted.closed_on')) }}
    left join calls on converted.opportunity_id = calls.opportunity_id
)

select * from final
