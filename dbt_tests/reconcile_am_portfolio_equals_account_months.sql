-- AM portfolio values sum to the account-month fact, over the accounts owned at month end
-- by users who have an AM row that month.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_am_monthly'}}}) }}
with am as (
    select
        am_user_id,
        month,
        portfolio_value,
        initial_portfolio_value
    from {{ ref('kpi_am_monthly') }}
),

accounts as (
    select
        owner_user_id,
        month,
        sum(value_at_month_end) as portfolio_value,
        sum(initial_value) as initial_portfolio_value
    from {{ ref('fct_account_values_monthly') }}
    where owner_user_id is not null
    group by owner_user_id, month
)

select
    am.am_user_id,
    am.month
from am
left join accounts on am.am_user_id = accounts.owner_user_id and am.month = accounts.month
where abs(coalesce(am.portfolio_value, 0) - coalesce(accounts.portfolio_value, 0)) > 0.01
    or abs(coalesce(am.initial_portfolio_value, 0) - coalesce(accounts.initial_portfolio_value, 0))
    > 0.01
