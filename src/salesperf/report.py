"""`salesperf kpis`: the latest complete month's company KPIs and the top reps per role."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from salesperf.errors import UserError

COMPANY_KPIS = (
    ("revenue", "money"),
    ("deals_won", "int"),
    ("win_rate", "pct"),
    ("avg_sales_cycle_days", "num"),
    ("opportunities_created", "int"),
    ("lead_to_opportunity_rate", "pct"),
    ("revenue_per_rep", "money"),
    ("calls_per_rep", "num"),
    ("calls_per_opportunity", "num"),
    ("avg_basket_per_customer", "money"),
    ("new_customers", "int"),
    ("sales_and_marketing_cost", "money"),
    ("cac", "money"),
)

# role -> (mart, rep column, ranking metric, other columns shown)
TOP_REPS = {
    "SDR": (
        "kpi_sdr_monthly",
        "sdr_user_id",
        "qualified_leads_sent",
        ("leads_sent", "qualified_lead_rate", "acceptance_rate"),
    ),
    "AE": (
        "kpi_ae_monthly",
        "ae_user_id",
        "bookings_amount",
        ("deals_won", "win_rate", "avg_deal_size"),
    ),
    "AM": (
        "kpi_am_monthly",
        "am_user_id",
        "portfolio_value",
        ("expansion_amount", "upsell_rate", "net_revenue_retention"),
    ),
}


def fmt(value: object, kind: str = "num") -> str:
    if value is None:
        return "-"
    if kind == "pct":
        return f"{float(value):.1%}"
    if kind == "money":
        return f"{float(value):,.0f}"
    if kind == "int":
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), line]
    for r in rows:
        out.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(out)


def _kind(column: str) -> str:
    if column.endswith(("_rate", "_retention")):
        return "pct"
    if column.endswith(("amount", "value", "_size")):
        return "money"
    return "int" if column.endswith(("sent", "won")) else "num"


def latest_complete_month(con: duckdb.DuckDBPyConnection) -> object:
    row = con.execute(
        """select max(m.month_start) from intermediate.int_months as m
        cross join intermediate.int_reporting_period as p
        where m.month_end <= p.as_of_date"""
    ).fetchone()
    if row is None or row[0] is None:
        row = con.execute("select max(month_start) from intermediate.int_months").fetchone()
    return row[0]


def kpi_report(warehouse: Path, month: str | None = None, top: int = 3) -> str:
    if not warehouse.exists():
        raise UserError(f"warehouse {warehouse} not found: run `salesperf run` first")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as exc:
        raise UserError(f"cannot open {warehouse} read-only: {exc}") from exc
    with con:
        try:
            chosen = month + "-01" if month else latest_complete_month(con)
            cursor = con.execute(
                "select * from marts.kpi_company_monthly where month = cast(? as date)", [chosen]
            )
            columns = [d[0] for d in cursor.description]
            found = cursor.fetchone()
        except duckdb.CatalogException as exc:
            raise UserError(f"the marts are not built yet ({exc}): run `salesperf build`") from exc
        except duckdb.ConversionException as exc:
            raise UserError(f"--month {month!r} is not a month: use YYYY-MM") from exc
        if found is None:
            raise UserError(f"no company KPIs for {chosen}: choose a month inside the data")
        record = dict(zip(columns, found, strict=True))
        parts = [
            f"Company KPIs for {str(chosen)[:7]}",
            table(["kpi", "value"], [[k, fmt(record[k], kind)] for k, kind in COMPANY_KPIS]),
        ]
        for role, (mart, rep, metric, others) in TOP_REPS.items():
            shown = ", ".join("k." + o for o in others)
            rows = con.execute(
                f"""select coalesce(r.full_name, k.{rep}), k.{metric}, {shown}
                from marts.{mart} as k left join marts.dim_reps as r on k.{rep} = r.user_id
                where k.month = cast(? as date) and k.{metric} is not null
                order by k.{metric} desc, k.{rep} limit ?""",
                [chosen, top],
            ).fetchall()
            parts.append(f"\nTop {role}s by {metric}")
            parts.append(
                table(
                    ["rep", metric, *others],
                    [
                        [
                            str(r[0]),
                            *(
                                fmt(v, _kind(c))
                                for v, c in zip(r[1:], (metric, *others), strict=True)
                            ),
                        ]
                        for r in rows
                    ],
                )
            )
    return "\n".join(parts)
