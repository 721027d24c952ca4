-- B1, the physical limit: kpi_company_monthly, kpi_sdr_monthly and kpi_ae_monthly
-- computed straight from the extract files by one hand-written DuckDB script in one
-- connection: no loader, no contract checks, no quarantine, no intermediate tables kept,
-- no tests, only the columns these three marts need. The definitions are docs/kpi-catalogue.md's,
-- the same as the warehouse's; benchmarks/run.py checks the results are equal.
--
-- {landing}: the folder of batch folders; {ruleset}: the qualification rule set.
-- Delivery order of versions: updated_at, then batch folder name, then row in the file.

set TimeZone = 'UTC';

create temp macro batch_of(f) as regexp_extract(f, '([^/]+)/[^/]+$', 1);
create temp macro clean(s) as nullif(trim(s), '');

-- each live user's name in their latest version: the marts show it beside the id
create temp table user_names as
select user_id, full_name
from (
    select
        clean(user_id) as user_id,
        full_name,
        coalesce(is_deleted::boolean, false) as is_deleted,
        row_number() over (
            partition by clean(user_id)
            order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
        ) as recency
    from read_parquet('{landing}/*/users.parquet', filename = true, file_row_number = true)
)
where recency = 1 and not is_deleted;

-- every version of a user, with the interval it is in force (live users only)
create temp table user_versions as
with src as (
    select
        clean(user_id) as user_id,
        upper(clean(role)) as role,
        clean(team_id) as team_id,
        hire_date::date as hire_date,
        termination_date::date as termination_date,
        updated_at::timestamp as updated_at,
        coalesce(is_deleted::boolean, false) as is_deleted,
        batch_of(filename) as b,
        file_row_number as r
    from read_parquet('{landing}/*/users.parquet', filename = true, file_row_number = true)
),
ranked as (
    select *, row_number() over (partition by user_id order by updated_at desc, b desc, r desc) as recency
    from src
),
live as (select user_id from ranked where recency = 1 and not is_deleted)
select
    user_id, role, team_id, hire_date, termination_date,
    case when row_number() over w = 1 then timestamp '1900-01-01' else updated_at end as valid_from,
    coalesce(lead(updated_at) over w, timestamp '9999-12-31') as valid_to
from ranked
where not is_deleted and user_id in (select user_id from live)
window w as (partition by user_id order by updated_at, b, r);

create temp table lead_versions as
with src as (
    select
        clean(lead_id) as lead_id,
        created_at::timestamp as created_at,
        clean(owner_id) as owner_id,
        budget_confirmed::boolean as budget_confirmed,
        authority_confirmed::boolean as authority_confirmed,
        need_confirmed::boolean as need_confirmed,
        timing_confirmed::boolean as timing_confirmed,
        employee_count::bigint as employee_count,
        lower(clean(industry)) as industry,
        updated_at::timestamp as updated_at,
        coalesce(is_deleted::boolean, false) as is_deleted,
        batch_of(filename) as b,
        file_row_number as r
    from read_parquet('{landing}/*/leads.parquet', filename = true, file_row_number = true)
),
ranked as (
    select *, row_number() over (partition by lead_id order by updated_at desc, b desc, r desc) as recency
    from src
),
live as (select lead_id from ranked where recency = 1 and not is_deleted)
select
    *,
    case when row_number() over w = 1 then timestamp '1900-01-01' else updated_at end as valid_from,
    coalesce(lead(updated_at) over w, timestamp '9999-12-31') as valid_to
from ranked
where not is_deleted and lead_id in (select lead_id from live)
window w as (partition by lead_id order by updated_at, b, r);

create temp table leads as
select lead_id, created_at from lead_versions where recency = 1;

create temp table handoffs as
select * from (
    select
        clean(handoff_id) as handoff_id,
        clean(lead_id) as lead_id,
        clean(sdr_id) as sdr_id,
        clean(ae_id) as ae_id,
        sent_at::timestamp as sent_at,
        lower(clean(decision)) as decision,
        clean(opportunity_id) as opportunity_id,
        updated_at::timestamp as updated_at,
        coalesce(is_deleted::boolean, false) as is_deleted,
        batch_of(filename) as b,
        file_row_number as r,
        row_number() over (
            partition by clean(handoff_id)
            order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
        ) as recency
    from read_parquet('{landing}/*/lead_handoffs.parquet', filename = true, file_row_number = true)
)
where recency = 1 and not is_deleted;

-- only calls count in these marts, but every live activity bounds the reporting period
create temp table activities as
select * from (
    select
        clean(activity_id) as activity_id,
        clean(owner_id) as owner_id,
        lower(clean(activity_type)) = 'call' as is_call,
        occurred_at::timestamp as occurred_at,
        clean(opportunity_id) as opportunity_id,
        coalesce(is_deleted::boolean, false) as is_deleted,
        row_number() over (
            partition by clean(activity_id)
            order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
        ) as recency
    from read_parquet('{landing}/*/activities.parquet', filename = true, file_row_number = true)
)
where recency = 1 and not is_deleted;

create temp table opportunities_latest as
select * from (
    select
        clean(opportunity_id) as opportunity_id,
        clean(account_id) as account_id,
        clean(owner_id) as owner_id,
        lower(clean(opportunity_type)) as opportunity_type,
        amount::decimal(18, 2) as amount,
        upper(clean(currency)) as currency,
        created_at::timestamp as created_at,
        close_date::date as close_date,
        is_closed::boolean as is_closed,
        is_won::boolean as is_won,
        clean(lead_id) as lead_id,
        clean(handoff_id) as handoff_id,
        coalesce(is_deleted::boolean, false) as is_deleted,
        row_number() over (
            partition by clean(opportunity_id)
            order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
        ) as recency
    from read_parquet('{landing}/*/opportunities.parquet', filename = true, file_row_number = true)
)
where recency = 1 and not is_deleted;

create temp table fx as
with latest as (
    select * from (
        select
            upper(clean(currency)) as currency,
            rate_date::date as rate_date,
            rate_to_reporting::double as rate,
            coalesce(is_deleted::boolean, false) as is_deleted,
            row_number() over (
                partition by upper(clean(currency)), rate_date::date
                order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
            ) as recency
        from read_parquet('{landing}/*/fx_rates.parquet', filename = true, file_row_number = true)
    )
    where recency = 1 and not is_deleted
)
select
    currency, rate_date as valid_from,
    coalesce(lead(rate_date) over (partition by currency order by rate_date), date '9999-12-31') as valid_to,
    rate
from latest;

create temp table deleted_accounts as
with src as (
    select
        clean(account_id) as account_id,
        coalesce(is_deleted::boolean, false) as is_deleted,
        row_number() over (
            partition by clean(account_id)
            order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
        ) as recency
    from read_parquet('{landing}/*/accounts.parquet', filename = true, file_row_number = true)
)
select account_id from src where recency = 1 and is_deleted;

create temp table period as
with days as (
    select created_at::date as d from leads
    union all select occurred_at::date from activities
    union all select sent_at::date from handoffs
    union all select created_at::date from opportunities_latest
    union all select close_date from opportunities_latest where is_closed
),
bounds as (select date_trunc('month', min(d))::date as first_month, max(d) as as_of from days)
select first_month, as_of, date_trunc('month', as_of)::date as as_of_month from bounds;

create temp table months as
select
    m::date as month_start,
    (m + interval 1 month - interval 1 day)::date as month_end
from period, range(period.first_month::timestamp, period.as_of_month::timestamp + interval 1 day, interval 1 month) as t (m);

-- users by the roles they held on some day of each month while employed
create temp table role_months as
with days as (
    select
        user_id, role, coalesce(team_id, 'unassigned') as team_id,
        greatest(valid_from::date, coalesce(hire_date, date '1900-01-01')) as first_day,
        least((valid_to - interval 1 microsecond)::date, coalesce(termination_date, date '9999-12-31')) as last_day
    from user_versions
    where valid_to > valid_from
)
select distinct days.user_id, months.month_start, days.role
from days
join months on days.first_day <= months.month_end and days.last_day >= months.month_start
where days.first_day <= days.last_day;

create temp table opportunities as
with calls as (
    select opportunity_id, count(*) as calls_logged
    from activities where is_call and opportunity_id is not null
    group by opportunity_id
),
accepted as (
    select * from handoffs where decision = 'accepted'
),
named_later as (
    select opportunity_id, sdr_id
    from accepted where opportunity_id is not null
    qualify row_number() over (partition by opportunity_id order by updated_at desc, b desc, r desc) = 1
),
ever_ae as (select distinct user_id from user_versions where role = 'AE'),
converted as (
    select
        o.*,
        o.created_at::date as created_date,
        case when o.is_closed then o.close_date end as closed_on,
        case when o.currency is null or o.currency = 'USD' then o.amount::double
             else o.amount::double * fx_created.rate end as pipeline_amount,
        case when o.is_closed then
            case when o.currency is null or o.currency = 'USD' then o.amount::double
                 else o.amount::double * fx_closed.rate end
        end as closed_amount
    from opportunities_latest as o
    left join fx as fx_created
        on fx_created.currency = o.currency
        and o.created_at::date >= fx_created.valid_from and o.created_at::date < fx_created.valid_to
    left join fx as fx_closed
        on fx_closed.currency = o.currency
        and (case when o.is_closed then o.close_date end) >= fx_closed.valid_from
        and (case when o.is_closed then o.close_date end) < fx_closed.valid_to
)
select
    c.opportunity_id,
    c.opportunity_type,
    case when c.account_id not in (select account_id from deleted_accounts) then c.account_id end
        as customer_account_id,
    c.owner_id,
    ever_ae.user_id is not null as is_owner_ever_ae,
    c.created_date,
    date_trunc('month', c.created_at)::date as created_month,
    c.closed_on as close_date,
    date_trunc('month', c.closed_on)::date as close_month,
    c.is_closed,
    c.is_closed and c.is_won as is_won,
    c.is_closed and not c.is_won as is_lost,
    case when c.is_closed then date_diff('day', c.created_date, c.closed_on) end as sales_cycle_days,
    c.pipeline_amount,
    case when c.is_closed and c.is_won then c.closed_amount end as won_amount,
    c.lead_id,
    coalesce(named.sdr_id, named_later.sdr_id) as sourcing_sdr_id,
    coalesce(calls.calls_logged, 0) as calls_logged
from converted as c
left join accepted as named on c.handoff_id = named.handoff_id
left join named_later on c.opportunity_id = named_later.opportunity_id
left join ever_ae on c.owner_id = ever_ae.user_id
left join calls on c.opportunity_id = calls.opportunity_id;

create temp table judged_handoffs as
with rules as (
    select * from read_csv('{seeds}/qualification_rules.csv', header = true)
    where ruleset_version = '{ruleset}'
),
industries as (
    select lower(industry) as industry
    from read_csv('{seeds}/qualification_target_industries.csv', header = true, all_varchar = true)
    where ruleset_version = '{ruleset}'
)
select
    h.handoff_id, h.sdr_id, h.ae_id,
    date_trunc('month', h.sent_at)::date as sent_month,
    h.decision = 'accepted' as is_accepted,
    h.decision = 'rejected' as is_rejected,
    v.lead_id is not null
    and (not rules.require_budget or coalesce(v.budget_confirmed, false))
    and (not rules.require_authority or coalesce(v.authority_confirmed, false))
    and (not rules.require_need or coalesce(v.need_confirmed, false))
    and (not rules.require_timing or coalesce(v.timing_confirmed, false))
    and coalesce(v.employee_count, -1) >= rules.min_employee_count
    and (not exists (select 1 from industries) or v.industry in (select industry from industries))
        as is_qualified
from handoffs as h
left join lead_versions as v
    on h.lead_id = v.lead_id and v.valid_from <= h.sent_at and h.sent_at < v.valid_to
cross join rules;

-- the calls of each rep while they were an SDR
create temp table sdr_calls as
select a.owner_id as sdr_id, date_trunc('month', a.occurred_at)::date as month, count(*) as calls
from activities as a
join user_versions as u
    on a.owner_id = u.user_id and u.valid_from <= a.occurred_at and a.occurred_at < u.valid_to
where a.is_call and u.role = 'SDR'
group by all;

create temp table delivered as
select
    (select count(*) > 0 from glob('{landing}/*/opportunities.parquet')) as has_opportunities,
    (select count(*) > 0 from glob('{landing}/*/lead_handoffs.parquet')) as has_lead_handoffs,
    (select count(*) > 0 from glob('{landing}/*/activities.parquet')) as has_activities,
    (select count(*) > 0 from glob('{landing}/*/leads.parquet')) as has_leads,
    (select count(*) > 0 from glob('{landing}/*/users.parquet')) as has_users,
    (select count(*) > 0 from glob('{landing}/*/costs.parquet')) as has_costs;

-- kpi_company_monthly -------------------------------------------------------------------
create table b1_kpi_company_monthly as
with closed as (
    select
        close_month as month,
        case when count(case when is_won then 1 end) = 0 then 0
             else sum(case when is_won then won_amount end) end as revenue,
        count(case when is_won then 1 end) as deals_won,
        count(case when is_lost then 1 end) as deals_lost,
        coalesce(sum(case when is_won then sales_cycle_days end), 0)::bigint as sales_cycle_days_total,
        count(distinct case when is_won then customer_account_id end) as customers,
        count(*) as opportunities_closed,
        coalesce(sum(calls_logged), 0)::bigint as calls_on_closed_opportunities
    from opportunities where close_month is not null
    group by close_month
),
first_wins as (
    select close_month as month, count(*) as new_customers
    from (
        select close_month from opportunities
        where is_won and opportunity_type = 'new_business' and customer_account_id is not null
        qualify row_number() over (partition by customer_account_id order by close_date, opportunity_id) = 1
    )
    group by all
),
created as (
    select created_month as month, count(*) as opportunities_created,
           count(case when is_won then 1 end) as opportunities_won_to_date
    from opportunities group by all
),
converted_leads as (select distinct lead_id from opportunities_latest where lead_id is not null),
cohorts as (
    select date_trunc('month', l.created_at)::date as month, count(*) as leads_created,
           count(c.lead_id) as leads_converted
    from leads as l left join converted_leads as c on l.lead_id = c.lead_id
    group by all
),
calls as (
    select date_trunc('month', occurred_at)::date as month, count(*) as calls
    from activities where is_call group by all
),
reps as (
    select month_start as month,
           count(distinct case when role in ('AE', 'AM') then user_id end) as quota_carrying_reps,
           count(distinct case when role in ('SDR', 'AE', 'AM') then user_id end) as active_reps
    from role_months group by all
),
cost_lines as (
    select
        m.month_start as month,
        case when count(case when k.category in ('sales', 'marketing') then 1 end) = 0 then 0
             else sum(case when k.category in ('sales', 'marketing') then
                 case when k.currency is null or k.currency = 'USD' then k.amount::double
                      else k.amount::double * fx.rate end
             end) end as cost
    from months as m
    left join (
        select * from (
            select
                clean(cost_id) as cost_id, month::date as month, lower(clean(category)) as category,
                amount::decimal(18, 2) as amount, upper(clean(currency)) as currency,
                coalesce(is_deleted::boolean, false) as is_deleted,
                row_number() over (
                    partition by clean(cost_id)
                    order by updated_at::timestamp desc, batch_of(filename) desc, file_row_number desc
                ) as recency
            from read_parquet('{landing}/*/costs.parquet', filename = true, file_row_number = true)
        ) where recency = 1 and not is_deleted
    ) as k on m.month_start = date_trunc('month', k.month)::date
    left join fx on fx.currency = k.currency and m.month_end >= fx.valid_from and m.month_end < fx.valid_to
    group by m.month_start
),
joined as (
    select
        m.month_start as month,
        case when d.has_opportunities then coalesce(closed.revenue, 0) end as revenue,
        case when d.has_opportunities then coalesce(closed.deals_won, 0) end as deals_won,
        case when d.has_opportunities then coalesce(closed.deals_lost, 0) end as deals_lost,
        case when d.has_opportunities then coalesce(closed.sales_cycle_days_total, 0) end as sales_cycle_days_total,
        case when d.has_opportunities then coalesce(closed.customers, 0) end as customers,
        case when d.has_opportunities then coalesce(closed.opportunities_closed, 0) end as opportunities_closed,
        case when d.has_opportunities and d.has_activities then coalesce(closed.calls_on_closed_opportunities, 0) end
            as calls_on_closed_opportunities,
        case when d.has_opportunities then coalesce(first_wins.new_customers, 0) end as new_customers,
        case when d.has_opportunities then coalesce(created.opportunities_created, 0) end as opportunities_created,
        case when d.has_opportunities then coalesce(created.opportunities_won_to_date, 0) end as opportunities_won_to_date,
        case when d.has_leads then coalesce(cohorts.leads_created, 0) end as leads_created,
        case when d.has_leads and d.has_opportunities then coalesce(cohorts.leads_converted, 0) end as leads_converted,
        case when d.has_activities then coalesce(calls.calls, 0) end as calls,
        case when d.has_users then coalesce(reps.quota_carrying_reps, 0) end as quota_carrying_reps,
        case when d.has_users then coalesce(reps.active_reps, 0) end as active_reps,
        case when d.has_costs then cost_lines.cost end as sales_and_marketing_cost
    from months as m
    cross join delivered as d
    left join closed on m.month_start = closed.month
    left join first_wins on m.month_start = first_wins.month
    left join created on m.month_start = created.month
    left join cohorts on m.month_start = cohorts.month
    left join calls on m.month_start = calls.month
    left join reps on m.month_start = reps.month
    left join cost_lines on m.month_start = cost_lines.month
)
select
    month,
    revenue::double as revenue,
    deals_won, deals_lost,
    deals_won / nullif(deals_won + deals_lost, 0) as win_rate,
    sales_cycle_days_total,
    sales_cycle_days_total / nullif(deals_won, 0) as avg_sales_cycle_days,
    opportunities_created, opportunities_won_to_date,
    opportunities_won_to_date / nullif(opportunities_created, 0) as opportunity_conversion_rate,
    leads_created, leads_converted,
    leads_converted / nullif(leads_created, 0) as lead_to_opportunity_rate,
    quota_carrying_reps,
    revenue / nullif(quota_carrying_reps, 0) as revenue_per_rep,
    opportunities_closed, calls_on_closed_opportunities,
    calls_on_closed_opportunities / nullif(opportunities_closed, 0) as calls_per_opportunity,
    calls, active_reps,
    calls / nullif(active_reps, 0) as calls_per_rep,
    customers,
    revenue / nullif(customers, 0) as avg_basket_per_customer,
    new_customers,
    -- the benchmark delivers no compensation plans: no commission expense to add
    null::decimal(18, 2) as commission_expense,
    false as includes_commission_expense,
    sales_and_marketing_cost::double as sales_and_marketing_cost,
    sales_and_marketing_cost / nullif(new_customers, 0) as cac
from joined;

-- kpi_sdr_monthly -----------------------------------------------------------------------
create table b1_kpi_sdr_monthly as
with spine as (
    select s.* from (
        select user_id as sdr_id, month_start as month from role_months where role = 'SDR'
        union select sdr_id, sent_month from judged_handoffs
        union select sourcing_sdr_id, created_month from opportunities where sourcing_sdr_id is not null
        union select sourcing_sdr_id, close_month from opportunities where sourcing_sdr_id is not null and is_won
    ) as s
    join months on s.month = months.month_start
),
sent as (
    select sdr_id, sent_month as month, count(*) as leads_sent,
           count(case when is_qualified then 1 end) as qualified_leads_sent,
           count(case when is_accepted then 1 end) as handoffs_accepted,
           count(case when is_rejected then 1 end) as handoffs_rejected
    from judged_handoffs group by all
),
pipeline as (
    select sourcing_sdr_id as sdr_id, created_month as month,
           sum(pipeline_amount) as amount, count(*) as n
    from opportunities where sourcing_sdr_id is not null group by all
),
won as (
    select sourcing_sdr_id as sdr_id, close_month as month,
           sum(won_amount) as amount, count(*) as n
    from opportunities where sourcing_sdr_id is not null and is_won group by all
),
joined as (
    select
        spine.sdr_id, spine.month,
        case when d.has_lead_handoffs then coalesce(sent.leads_sent, 0) end as leads_sent,
        case when d.has_lead_handoffs then coalesce(sent.qualified_leads_sent, 0) end as qualified_leads_sent,
        case when d.has_activities then coalesce(sdr_calls.calls, 0) end as calls,
        case when d.has_lead_handoffs then coalesce(sent.handoffs_accepted, 0) end as handoffs_accepted,
        case when d.has_lead_handoffs then coalesce(sent.handoffs_rejected, 0) end as handoffs_rejected,
        case when d.has_opportunities then case when pipeline.n is null then 0 else pipeline.amount end end
            as sourced_pipeline_amount,
        case when d.has_opportunities then case when won.n is null then 0 else won.amount end end
            as sourced_won_amount
    from spine
    cross join delivered as d
    left join sent using (sdr_id, month)
    left join sdr_calls using (sdr_id, month)
    left join pipeline using (sdr_id, month)
    left join won using (sdr_id, month)
)
select
    sdr_id as sdr_user_id, month,
    (select full_name from user_names where user_id = sdr_id) as rep_name,
    leads_sent, qualified_leads_sent,
    qualified_leads_sent / nullif(leads_sent, 0) as qualified_lead_rate,
    calls,
    qualified_leads_sent / nullif(calls, 0) as qualification_efficiency,
    handoffs_accepted, handoffs_rejected,
    handoffs_accepted + handoffs_rejected as handoffs_decided,
    handoffs_accepted / nullif(handoffs_accepted + handoffs_rejected, 0) as acceptance_rate,
    sourced_pipeline_amount::double as sourced_pipeline_amount,
    sourced_won_amount::double as sourced_won_amount,
    '{ruleset}' as qualification_ruleset
from joined;

-- kpi_ae_monthly ------------------------------------------------------------------------
create table b1_kpi_ae_monthly as
with spine as (
    select s.ae_id, s.month, months.month_end from (
        select user_id as ae_id, month_start as month from role_months where role = 'AE'
        union select ae_id, sent_month from judged_handoffs
        where ae_id in (select user_id from user_versions where role = 'AE')
        union select owner_id, created_month from opportunities where is_owner_ever_ae
        union select owner_id, close_month from opportunities where is_owner_ever_ae and is_closed
    ) as s
    join months on s.month = months.month_start
),
worked as (
    select spine.ae_id, spine.month, count(*) as opportunities_worked
    from spine
    join opportunities as o
        on spine.ae_id = o.owner_id and spine.month_end >= o.created_date
        and (not o.is_closed or spine.month <= o.close_date)
    group by all
),
closed as (
    select owner_id as ae_id, close_month as month,
           count(case when is_won then 1 end) as deals_won,
           count(case when is_lost then 1 end) as deals_lost,
           case when count(case when is_won then 1 end) = 0 then 0
                else sum(case when is_won then won_amount end) end as bookings_amount,
           coalesce(sum(case when is_won then sales_cycle_days end), 0)::bigint as sales_cycle_days_total,
           count(*) as opportunities_closed,
           coalesce(sum(calls_logged), 0)::bigint as calls_on_closed_opportunities
    from opportunities where close_month is not null group by all
),
received as (
    select ae_id, sent_month as month, count(*) as handoffs_received,
           count(case when is_accepted then 1 end) as handoffs_accepted,
           count(case when is_rejected then 1 end) as handoffs_rejected
    from judged_handoffs group by all
),
joined as (
    select
        spine.ae_id, spine.month,
        case when d.has_opportunities then coalesce(worked.opportunities_worked, 0) end as opportunities_worked,
        case when d.has_opportunities then coalesce(closed.deals_won, 0) end as deals_won,
        case when d.has_opportunities then coalesce(closed.deals_lost, 0) end as deals_lost,
        case when d.has_opportunities then coalesce(closed.bookings_amount, 0) end as bookings_amount,
        case when d.has_opportunities then coalesce(closed.sales_cycle_days_total, 0) end as sales_cycle_days_total,
        case when d.has_lead_handoffs then coalesce(received.handoffs_received, 0) end as handoffs_received,
        case when d.has_lead_handoffs then coalesce(received.handoffs_accepted, 0) end as handoffs_accepted,
        case when d.has_lead_handoffs then coalesce(received.handoffs_rejected, 0) end as handoffs_rejected,
        case when d.has_opportunities then coalesce(closed.opportunities_closed, 0) end as opportunities_closed,
        case when d.has_activities then coalesce(closed.calls_on_closed_opportunities, 0) end
            as calls_on_closed_opportunities
    from spine
    cross join delivered as d
    left join worked using (ae_id, month)
    left join closed using (ae_id, month)
    left join received using (ae_id, month)
)
select
    ae_id as ae_user_id, month,
    (select full_name from user_names where user_id = ae_id) as rep_name,
    opportunities_worked, deals_won, deals_lost,
    deals_won / nullif(opportunities_worked, 0) as close_rate,
    deals_won / nullif(deals_won + deals_lost, 0) as win_rate,
    bookings_amount::double as bookings_amount,
    bookings_amount / nullif(deals_won, 0) as avg_deal_size,
    sales_cycle_days_total,
    sales_cycle_days_total / nullif(deals_won, 0) as avg_sales_cycle_days,
    handoffs_received, handoffs_accepted, handoffs_rejected,
    opportunities_closed, calls_on_closed_opportunities,
    calls_on_closed_opportunities / nullif(opportunities_closed, 0) as calls_per_opportunity
from joined;
