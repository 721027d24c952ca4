-- Every won deal that was later undone: a version that deletes it, reopens it or closes it
-- lost after a version that had it won. One row per reversal, with the deal as it stood
-- when won (what commission was paid on) and the instant the reversal was delivered
-- (when it became known: a clawback lands in that month). A deal won again later is a new
-- win in fct_opportunities.
with versions as (select * from {{ ref('base_crm__opportunities') }}),

states as (
    select
        opportunity_id,
        owner_user_id,
        account_id,
        opportunity_type,
        amount,
        currency,
        close_date,
        is_deleted,
        updated_at,
        not is_deleted and is_closed and is_won as is_won_now,
        lag(not is_deleted and is_closed and is_won) over (
            partition by opportunity_id order by {{ version_order() }}
        ) as was_won,
        lag(owner_user_id) over (partition by opportunity_id order by {{ version_order() }})
            as won_owner_user_id,
        lag(account_id) over (partition by opportunity_id order by {{ version_order() }})
            as won_account_id,
        lag(opportunity_type) over (partition by opportunity_id order by {{ version_order() }})
            as won_opportunity_type,
        lag(amount) over (partition by opportunity_id order by {{ version_order() }})
            as won_amount_original,
        lag(currency) over (partition by opportunity_id order by {{ version_order() }})
            as won_currency,
        lag(close_date) over (partition by opportunity_id order by {{ version_order() }})
            as won_close_date
    from versions
),

final as (
    select
        states.opportunity_id,
        states.won_owner_user_id as owner_user_id,
        states.won_account_id as account_id,
        states.won_opportunity_type as opportunity_type,
        states.won_close_date as close_date,
        {{ in_reporting_currency('states.won_amount_original', 'states.won_currency', 'fx') }}
            as won_amount,
        states.updated_at as reversed_at,
        {{ local_date('states.updated_at') }} as reversed_on,
        case when states.is_deleted then 'deleted' else 'reopened' end as reversal
    from states
    {{ fx_join('fx', 'states.won_currency', 'states.won_close_date') }}
    where states.was_won and not states.is_won_now and states.won_close_date is not null
)

select * from final
