-- One row per AM per month (docs/kpi-catalogue.md, AM): the book they own at month end, its growth
-- over the accounts' life, expansion won and net revenue retention.
with role_months as (select * from {{ ref('int_users__role_months') }}),
account_months as (select * from {{ ref('fct_account_values_monthly') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
deliveries as (select * from {{ ref('int_crm__deliveries') }}),
reps as (select * from {{ ref('dim_reps') }}),

spine as (
    select distinct
        user_id as am_user_id,
        month_start as month
    from role_months
    where role = 'AM'
),

books as (
    select
        spine.am_user_id,
        spine.month,
        count(account_months.account_id) as accounts_owned,
        coalesce(sum(cast(account_months.value_at_month_end as decimal(38, 6))), 0)
            as portfolio_value,
        coalesce(sum(cast(account_months.initial_value as decimal(38, 6))), 0)
            as initial_portfolio_value
    from spine
    left join account_months
        on spine.am_user_id = account_months.owner_user_id
        and spine.month = account_months.month
    group by spine.am_user_id, spine.month
),

retention as (
    -- the accounts in the AM's book at the end of last month with value above zero,
    -- followed to this month's end whoever owns them now
    select
        spine.am_user_id,
        spine.month,
        count(account_months.account_id) as retention_base_accounts,
        coalesce(sum(cast(account_months.value_at_prev_month_end as decimal(38, 6))), 0)
            as starting_portfolio_value,
        coalesce(sum(cast(account_months.value_at_month_end as decimal(38, 6))), 0)
            as retained_portfolio_value,
        count(case when account_months.value_at_month_end = 0 then 1 end) as churned_accounts
    from spine
    left join account_months
        on spine.am_user_id = account_months.prev_owner_user_id
        and spine.month = account_months.month
        and account_months.value_at_prev_month_end > 0
    group by spine.am_user_id, spine.month
),

expansion as (
    select
        spine.am_user_id,
        spine.month,
        {{ sum_known('upsells.won_amount', 'upsells.opportunity_id is not null') }}
            as expansion_amount
    from spine
    left join account_months
        on spine.am_user_id = account_months.owner_user_id
        and spine.month = account_months.month
    left join opportunities as upsells
        on account_months.account_id = upsells.account_id
        and account_months.month = upsells.close_month
        and upsells.is_won
        and upsells.opportunity_type = 'upsell'
    group by spine.am_user_id, spine.month
),

rep_names as (
    -- the rep's name beside the id, so a BI question needs no join to dim_reps
    select
        user_id as am_user_id,
        full_name as rep_name
    from reps
),

joined as (
    select
        spine.am_user_id,
        spine.month,
        rep_names.rep_name,
        books.accounts_owned,
        -- ownership needs accounts, value needs contracts: unknown without either
        case when deliveries.has_accounts and deliveries.has_contracts
                then books.portfolio_value
        end as portfolio_value,
        case when deliveries.has_accounts and deliveries.has_contracts
                then books.initial_portfolio_value
        end as initial_portfolio_value,
        case when deliveries.has_accounts and deliveries.has_opportunities
                then expansion.expansion_amount
        end as expansion_amount,
        case when deliveries.has_accounts and deliveries.has_contracts
                then retention.retention_base_accounts
        end as retention_base_accounts,
        case when deliveries.has_accounts and deliveries.has_contracts
                then retention.starting_portfolio_value
        end as starting_portfolio_value,
        case when deliveries.has_accounts and deliveries.has_contracts
                then retention.retained_portfolio_value
        end as retained_portfolio_value,
        case when deliveries.has_accounts and deliveries.has_contracts
                then retention.churned_accounts
        end as churned_accounts
    from spine
    cross join deliveries
    inner join books using (am_user_id, month)
    inner join retention using (am_user_id, month)
    inner join expansion using (am_user_id, month)
    left join rep_names using (am_user_id)
),

final as (
    select
        am_user_id,
        month,
        rep_name,
        accounts_owned,
        {{ as_money('portfolio_value') }} as portfolio_value,
        {{ as_money('initial_portfolio_value') }} as initial_portfolio_value,
        {{ as_money(kpi_part('portfolio_growth')) }} as portfolio_growth,
        {{ kpi('upsell_rate') }} as upsell_rate,
        {{ as_money('expansion_amount') }} as expansion_amount,
        retention_base_accounts,
        {{ as_money('starting_portfolio_value') }} as starting_portfolio_value,
        {{ as_money('retained_portfolio_value') }} as retained_portfolio_value,
        {{ kpi('net_revenue_retention') }} as net_revenue_retention,
        churned_accounts
    from joined
)

select * from final
