-- Every event a registry metric can count or add up (seed metric_registry), one row per
-- event and event type, with the rep it is credited to and the role and team that rep
-- held at the time (docs/kpi-catalogue.md, Attribution). This is the one place events are defined:
-- scorecards, leaderboards, contests, quotas, coaching impact and ramp all read it
-- through int_metric_actuals__daily. Activities (event type = activity type) are the one
-- exception: they come already counted per rep and day from int_activities__daily.
{# amounts as exact decimals: sums of doubles depend on the order parallel threads add
   them in, and the marts must be identical from run to run #}
{% set money = 'decimal(38, 6)' %}
with handoffs as (select * from {{ ref('fct_lead_handoffs') }}),
opportunities as (select * from {{ ref('fct_opportunities') }}),
account_months as (select * from {{ ref('fct_account_values_monthly') }}),
months as (select * from {{ ref('int_months') }}),
users as (select * from {{ ref('int_users__versioned') }}),

handoff_events as (
        -- cohort by sent_at, as kpi_sdr_monthly counts them
    {%- for event_type, condition in [
        ('handoff_sent', 'true'),
        ('qualified_handoff_sent', 'is_qualified_at_send'),
        ('handoff_accepted', 'is_accepted'),
        ('handoff_rejected', 'is_rejected'),
        ('handoff_decided', 'is_accepted or is_rejected'),
    ] %}
        select
            '{{ event_type }}' as event_type,
            handoff_id as event_key,
            sdr_user_id as user_id,
            sdr_role_at_send as role,
            sdr_team_id as team_id,
            {{ local_date('sent_at') }} as event_date,
            cast(null as {{ money }}) as amount
        from handoffs
        where {{ condition }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

opportunity_events as (
    select
        'opportunity_created' as event_type,
        opportunity_id as event_key,
        owner_user_id as user_id,
        owner_role_at_creation as role,
        team_id_at_creation as team_id,
        created_date as event_date,
        cast(pipeline_amount as {{ money }}) as amount
    from opportunities
    {%- for event_type, condition, amount in [
        ('deal_won', 'is_won', 'won_amount'),
        ('deal_lost', 'is_lost', 'null'),
        ('deal_closed', 'is_closed', 'null'),
    ] %}
        union all
        select
            '{{ event_type }}',
            opportunity_id,
            owner_user_id,
            owner_role_at_close,
            team_id_at_close,
            close_date,
            cast({{ amount }} as {{ money }})
        from opportunities
        where {{ condition }}
    {%- endfor %}
),

book_months as (
    -- the AM's book: credited to the owner at the month end (docs/kpi-catalogue.md, AM)
    select
        account_months.*,
        months.month_end,
        months.month_end_at,
        months.prev_month_end_at
    from account_months
    inner join months on account_months.month = months.month_start
),

expansion_events as (
    select
        'upsell_won_on_book' as event_type,
        upsells.opportunity_id as event_key,
        book_months.owner_user_id as user_id,
        owner.role,
        coalesce(owner.team_id, 'unassigned') as team_id,
        upsells.close_date as event_date,
        cast(upsells.won_amount as {{ money }}) as amount
    from book_months
    inner join opportunities as upsells
        on book_months.account_id = upsells.account_id
        and book_months.month = upsells.close_month
        and upsells.is_won
        and upsells.opportunity_type = 'upsell'
    left join users as owner
        on book_months.owner_user_id = owner.user_id
        and {{ in_force('owner', 'book_months.month_end_at') }}
    where book_months.owner_user_id is not null
),

retention_events as (
        -- accounts in the AM's book with value above zero at the previous month end, valued
        -- again on this month's last day (net revenue retention)
    {%- for event_type, amount in [
        ('retained_value', 'book_months.value_at_month_end'),
        ('retention_base_value', 'book_months.value_at_prev_month_end'),
    ] %}
        select
            '{{ event_type }}' as event_type,
            book_months.account_id as event_key,
            book_months.prev_owner_user_id as user_id,
            owner.role,
            coalesce(owner.team_id, 'unassigned') as team_id,
            book_months.month_end as event_date,
            cast({{ amount }} as {{ money }}) as amount
        from book_months
        left join users as owner
            on book_months.prev_owner_user_id = owner.user_id
            and {{ in_force('owner', 'book_months.prev_month_end_at') }}
        where
            book_months.prev_owner_user_id is not null
            and book_months.value_at_prev_month_end > 0
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

unioned as (
    select * from handoff_events
    union all
    select * from opportunity_events
    union all
    select * from expansion_events
    union all
    select * from retention_events
)

select * from unioned
