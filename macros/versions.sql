{#- Upsert semantics of extracts.md, in one place.

    Versions of a record are ordered by updated_at, then delivery order (batch id, then
    row in the file). A record whose latest version is a delete counts nowhere; a delete
    in the middle of a record's history is skipped. -#}

{% macro version_order(descending=false) -%}
    {%- set d = ' desc' if descending else '' -%}
    updated_at{{ d }}, _batch_id{{ d }}, _row_number{{ d }}
{%- endmacro %}

{#- The latest version of every live record: what a staging model selects from. -#}
{% macro latest_version(relation, key_columns) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }} order by {{ version_order(true) }}
            ) as _recency
        from {{ relation }}
    ) as ranked
    where _recency = 1 and not is_deleted
{%- endmacro %}

{#- Every non-deleted version of every live record, with the interval it is in force:
    [valid_from, valid_to). The first version also covers all time before it ("the earliest
    version before the first"), the last one all time after. -#}
{% macro record_versions(relation, key_columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    with ranked as (
        select
            *,
            row_number() over (partition by {{ keys }} order by {{ version_order(true) }})
                as _recency
        from {{ relation }}
    ),

    live_keys as (
        select {{ keys }} from ranked where _recency = 1 and not is_deleted
    ),

    live_versions as (
        select ranked.*
        from ranked
        inner join live_keys using ({{ keys }})
        where not ranked.is_deleted
    ),

    sequenced as (
        select
            *,
            row_number() over (partition by {{ keys }} order by {{ version_order() }})
                as version_number,
            lead(updated_at) over (partition by {{ keys }} order by {{ version_order() }})
                as next_updated_at
        from live_versions
    )

    select
        *,
        case
            when version_number = 1 then cast('1900-01-01' as timestamp) else updated_at
        end as valid_from,
        coalesce(next_updated_at, cast('9999-12-31' as timestamp)) as valid_to,
        next_updated_at is null as is_current
    from sequenced
{%- endmacro %}

{#- The days a user version counted (kpis.md, Attribution): from the day it arrived to the
    day before it was superseded, cut to that version's own hire and termination dates.
    A version superseded at the same instant it arrived was never in force. -#}
{% macro employed_version_days(versions) -%}
    select
        user_id,
        role,
        team_id,
        greatest(
            {{ local_date('valid_from') }}, coalesce(hire_date, cast('1900-01-01' as date))
        ) as first_day,
        least(
            {{ local_date(dbt.dateadd('microsecond', -1, 'valid_to')) }},
            coalesce(termination_date, cast('9999-12-31' as date))
        ) as last_day
    from {{ versions }}
    where valid_to > valid_from
{%- endmacro %}
