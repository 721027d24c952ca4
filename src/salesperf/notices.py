"""What a run loaded but a person should look at, one line each, in the run's own output.

These do not block (the landing contract loads them): an amount with no exchange rate is
unknown, a negative won amount is suspicious, a reference to a record not delivered yet
may be resolved by a later batch. Each line names what to fix, with a few examples.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

EXAMPLES = 5


def _examples(values: list[object]) -> str:
    shown = ", ".join(str(v) for v in values[:EXAMPLES])
    return shown + (f" and {len(values) - EXAMPLES} more" if len(values) > EXAMPLES else "")


def _missing_rates(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """select currency_original, min(day), max(day), count(distinct opportunity_id)
        from (
            select opportunity_id, currency_original, created_date as day
            from marts.fct_opportunities where is_fx_rate_missing
            union all
            select opportunity_id, currency_original, close_date
            from marts.fct_opportunities where is_fx_rate_missing and is_closed
        )
        group by currency_original order by currency_original"""
    ).fetchall()
    if not rows:
        return []
    spans = [
        f"{currency} {first}" + (f"..{last}" if last != first else "") + f" ({deals} deals)"
        for currency, first, last, deals in rows
    ]
    return [
        "no exchange rate for "
        + "; ".join(spans)
        + ": those amounts are unknown (not 0) until fx_rates covers the dates"
    ]


def _negative_won(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """select opportunity_id, won_amount from marts.fct_opportunities
        where is_won and won_amount < 0 order by won_amount, opportunity_id"""
    ).fetchall()
    if not rows:
        return []
    return [
        f"{len(rows)} won deal(s) with a negative amount count in revenue: "
        + _examples([f"{oid} ({amount:,.2f})" for oid, amount in rows])
    ]


def _undelivered_references(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """select distinct sdr_user_id as user_id from marts.fct_lead_handoffs
        union select distinct ae_user_id from marts.fct_lead_handoffs
        union select distinct owner_user_id from marts.fct_opportunities
        except select user_id from marts.dim_reps
        order by 1"""
    ).fetchall()
    users = [r[0] for r in rows if r[0] is not None]
    delivered = con.execute("select has_users from intermediate.int_crm__deliveries").fetchall()
    if not users or not (delivered and delivered[0][0]):
        return []  # no users at all is said once, as 'not delivered'
    return [
        f"{len(users)} user(s) referenced by handoffs or opportunities are not delivered yet: "
        + _examples(users)
        + " (counted, attributed to no team until they arrive)"
    ]


def data_notices(warehouse: Path) -> list[str]:
    """The notices for the built marts (`Settings.marts_source`: the working warehouse,
    or Spark's exported copy); empty when there is nothing to say."""
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException):
        return []  # another run holds the warehouse: its own run will say these
    with con:
        notices: list[str] = []
        for finder in (_missing_rates, _negative_won, _undelivered_references):
            try:
                notices += finder(con)
            except duckdb.CatalogException:
                continue  # the marts are not built (a failed first run): nothing to say
        return notices
