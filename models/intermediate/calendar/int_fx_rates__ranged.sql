-- Each rate is in force from its rate_date until the next one for that currency: the
-- "latest rate on or before the event date" of docs/kpi-catalogue.md becomes a range join.
with rates as (select * from {{ ref('stg_crm__fx_rates') }})

select
    currency,
    rate_date as valid_from,
    coalesce(
        lead(rate_date) over (partition by currency order by rate_date),
        cast('9999-12-31' as date)
    ) as valid_to,
    rate_to_reporting
from rates
