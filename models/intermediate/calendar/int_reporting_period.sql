-- One row: the first reporting month and the as-of date every mart is computed for.
-- Both come from project vars when set, otherwise from the data itself, so that results
-- never depend on the day the pipeline happens to run.
with leads as (select * from {{ ref('stg_crm__leads') }}),
-- activity days come counted per rep and day: no pass over every activity
activities as (select * from {{ ref('int_activities__daily') }}),
handoffs as (select * from {{ ref('stg_crm__lead_handoffs') }}),
opportunities as (select * from {{ ref('stg_crm__opportunities') }}),

event_days as (
    select {{ local_date('created_at') }} as event_date from leads
    union all
    select activity_date from activities
    union all
    select {{ local_date('sent_at') }} from handoffs
    union all
    select {{ local_date('created_at') }} from opportunities
    union all
    -- open deals carry an expected close date in the future: only real closes count
    select close_date from opportunities
    where is_closed
),

bounds as (
    select
        {% if var('first_month') -%}
            cast('{{ var("first_month") }}' as date)
        {%- else -%}
            cast({{ dbt.date_trunc('month', 'min(event_date)') }} as date)
        {%- endif %} as first_month,
        {% if var('as_of_date') -%}
            cast('{{ var("as_of_date") }}' as date)
        {%- else -%}
            max(event_date)
        {%- endif %} as as_of_date
    from event_days
)

select
    first_month,
    as_of_date,
    cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month
from bounds
where first_month is not null
