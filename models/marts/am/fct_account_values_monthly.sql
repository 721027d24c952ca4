-- One row per account per reporting month: who owned it at the end of the month and of the month
-- before, the value of its active contracts on both days, and its initial value
-- (docs/kpi-catalogue.md, AM). Accounts that were never owned and never had value are left out.
with accounts as (select * from {{ ref('stg_crm__accounts') }}),
account_versions as (select * from {{ ref('int_accounts__versioned') }}),
contracts as (select * from {{ ref('stg_crm__contracts') }}),
months as (select * from {{ ref('int_months') }}),

valuation_days as (
    select month_end as valued_on from months
    union
    select prev_month_end from months
),

values_on_day as (
    -- annual value of the contracts active on the day, converted at that day's rate
    select
        contracts.account_id,
        valuation_days.valued_on,
        -- exact sums (see sum_known): the same data gives the same value on every run
        cast(sum(cast(
            {{ in_reporting_currency('contracts.annual_value', 'contracts.currency', 'fx') }}
            as decimal(38, 6)
        )) as double) as contract_value,
        bool_or({{ fx_rate_missing('contracts.annual_value', 'contracts.currency', 'fx') }})
            as is_fx_rate_missing
    from contracts
    inner join valuation_days
        on contracts.start_date <= valuation_days.valued_on
        and (contracts.end_date is null or contracts.end_date >= valuation_days.valued_on)
    {{ fx_join('fx', 'contracts.currency', 'valuation_days.valued_on') }}
    group by contracts.account_id, valuation_days.valued_on
),

first_contract as (
    select
        account_id,
        min(start_date) as first_contract_start
    from contracts
    group by account_id
),

initial_values as (
    -- the contracts active on the first start date, converted at that date
    select
        first_contract.account_id,
        first_contract.first_contract_start,
        cast(sum(cast(
            {{ in_reporting_currency('contracts.annual_value', 'contracts.currency', 'fx') }}
            as decimal(38, 6)
        )) as double) as initial_value,
        bool_or({{ fx_rate_missing('contracts.annual_value', 'contracts.currency', 'fx') }})
            as is_fx_rate_missing
    from first_contract
    inner join contracts
        on first_contract.account_id = contracts.account_id
        and contracts.start_date <= first_contract.first_contract_start  -- noqa: ST09
        and (
            contracts.end_date is null
            or first_contract.first_contract_start <= contracts.end_date
        )
    {{ fx_join('fx', 'contracts.currency', 'first_contract.first_contract_start') }}
    group by first_contract.account_id, first_contract.first_contract_start
),

account_months as (
    select
        accounts.account_id,
        months.month_start,
        months.month_end,
        months.prev_month_end,
        months.month_end_at,
        months.prev_month_end_at
    from accounts
    cross join months
),

valued as (
    select
        account_months.account_id,
        account_months.month_start as month,
        owner_now.owner_user_id,
        owner_before.owner_user_id as prev_owner_user_id,
        coalesce(value_now.contract_value, 0) as value_at_month_end,
        coalesce(value_before.contract_value, 0) as value_at_prev_month_end,
        case
            when initial_values.first_contract_start <= account_months.month_end
                then initial_values.initial_value
            else 0
        end as initial_value,
        case
            when initial_values.first_contract_start <= account_months.month_end
                then initial_values.first_contract_start
        end as first_contract_start,
        coalesce(value_now.is_fx_rate_missing, false)
        or coalesce(value_before.is_fx_rate_missing, false)
        or (
            initial_values.first_contract_start <= account_months.month_end
            and initial_values.is_fx_rate_missing
        ) as is_fx_rate_missing
    from account_months
    left join account_versions as owner_now
        on account_months.account_id = owner_now.account_id
        and {{ in_force('owner_now', 'account_months.month_end_at') }}
    left join account_versions as owner_before
        on account_months.account_id = owner_before.account_id
        and {{ in_force('owner_before', 'account_months.prev_month_end_at') }}
    left join values_on_day as value_now
        on account_months.account_id = value_now.account_id
        and account_months.month_end = value_now.valued_on
    left join values_on_day as value_before
        on account_months.account_id = value_before.account_id
        and account_months.prev_month_end = value_before.valued_on
    left join initial_values on account_months.account_id = initial_values.account_id
)

select *
from valued
where owner_user_id is not null
    or prev_owner_user_id is not null
    or value_at_month_end != 0
    or value_at_prev_month_end != 0
    or initial_value != 0
