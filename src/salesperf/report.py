"""`salesperf kpis`: the latest complete month's company KPIs and the top reps per role,
a leaderboard, or a rep's scorecard, read from the published (audited) marts: after a
failed gate they show the last good numbers, and a run writing the warehouse never
blocks them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
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


def _has_publication(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts' "
            "and table_name = '_publication'"
        ).fetchone()[0]
    )


def as_of_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The date the marts were computed as of: recorded by the publication (a Spark export
    copy keeps the reporting period model instead)."""
    if _has_publication(con):
        return con.execute("select as_of_date from marts._publication").fetchone()[0]
    return con.execute("select as_of_date from intermediate.int_reporting_period").fetchone()[0]


def latest_complete_month(con: duckdb.DuckDBPyConnection) -> object:
    as_of = as_of_date(con)
    row = con.execute(
        """select max(month) from marts.kpi_company_monthly
        where last_day(month) <= cast(? as date)""",
        [as_of],
    ).fetchone()
    if row is None or row[0] is None:  # not one complete month yet: the one in progress
        row = con.execute("select max(month) from marts.kpi_company_monthly").fetchone()
    return row[0]


def undelivered(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Entities no batch has delivered yet: the KPIs they feed are unknown, not zero."""
    if _has_publication(con):
        listed = con.execute("select entities_not_delivered from marts._publication").fetchone()
        return [e for e in (listed[0] or "").split(", ") if e]
    try:
        cursor = con.execute("select * from intermediate.int_crm__deliveries")
    except duckdb.CatalogException:
        return []  # a copy without the model: nothing known to say
    names = [d[0] for d in cursor.description]
    flags = cursor.fetchall()
    row = flags[0] if flags else (False,) * len(names)
    return [
        n.removeprefix("has_") for n, delivered in zip(names, row, strict=True) if not delivered
    ]


@contextmanager
def _marts(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The published, audited marts (never the working warehouse a run may be writing)."""
    if not published.exists():
        raise UserError(f"nothing published yet at {published}: run `salesperf run` first")
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"cannot open {published} read-only: {exc}") from exc
    with con:
        try:
            yield con
        except duckdb.CatalogException as exc:
            raise UserError(f"the marts are not built yet ({exc}): run `salesperf build`") from exc


def kpi_report(warehouse: Path, month: str | None = None, top: int = 3) -> str:
    with _marts(warehouse) as con:
        try:
            chosen = month + "-01" if month else latest_complete_month(con)
            cursor = con.execute(
                "select * from marts.kpi_company_monthly where month = cast(? as date)", [chosen]
            )
            columns = [d[0] for d in cursor.description]
            found = cursor.fetchone()
        except duckdb.ConversionException as exc:
            raise UserError(f"--month {month!r} is not a month: use YYYY-MM") from exc
        if found is None:
            raise UserError(f"no company KPIs for {chosen}: choose a month inside the data")
        record = dict(zip(columns, found, strict=True))
        parts = [
            f"Company KPIs for {str(chosen)[:7]}",
            table(["kpi", "value"], [[k, fmt(record[k], kind)] for k, kind in COMPANY_KPIS]),
        ]
        if missing := undelivered(con):
            parts.append(
                f"not delivered: {', '.join(missing)} (what is computed from them is "
                "unknown and shows as -)"
            )
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


def parse_period(text: str) -> tuple[str, date]:
    """`YYYY-MM` (month), `YYYY-Qn` (quarter) or `YYYY-Www` (ISO week) -> (grain, start)."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if 1 <= int(m[2]) <= 12:
            return "month", date(int(m[1]), int(m[2]), 1)
    elif m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
        return "quarter", date(int(m[1]), 3 * int(m[2]) - 2, 1)
    elif m := re.fullmatch(r"(\d{4})-[Ww](\d{2})", text):
        try:
            return "week", date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            pass
    raise UserError(f"--period {text!r}: use YYYY-MM, YYYY-Qn or YYYY-Www (ISO week)")


def _choices(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [str(r[0]) for r in con.execute(sql).fetchall()]


def leaderboard_report(
    warehouse: Path, metric: str, role: str, period: str | None = None, top: int = 10
) -> str:
    """A role's leaderboard on a metric for a week, month or quarter (default: as-of month)."""
    role = role.upper()
    with _marts(warehouse) as con:
        if role not in _choices(con, "select distinct role from marts.kpi_leaderboard"):
            raise UserError(f"--role {role!r}: use SDR, AE or AM")
        metrics = [
            str(r[0])
            for r in con.execute(
                "select distinct metric from marts.kpi_leaderboard where role = ? order by 1",
                [role],
            ).fetchall()
        ]
        if metric not in metrics:
            raise UserError(f"{role} leaderboards rank {', '.join(metrics)}; not {metric!r}")
        if period:
            grain, start = parse_period(period)
        else:
            grain = "month"
            as_of = as_of_date(con)
            start = as_of.replace(day=1) if as_of else None
        rows = con.execute(
            """select b.rank, b.entity_type, b.entity_id, coalesce(r.full_name, t.team_name),
                b.value, b.unit, b.is_current_period
            from marts.kpi_leaderboard as b
            left join marts.dim_reps as r on b.entity_type = 'rep' and b.entity_id = r.user_id
            left join marts.dim_teams as t on b.entity_type = 'team' and b.entity_id = t.team_id
            where b.role = ? and b.metric = ? and b.grain = ? and b.period_start = ?
            order by b.entity_type, b.rank nulls last, b.entity_id""",
            [role, metric, grain, start],
        ).fetchall()
    if not rows:
        raise UserError(f"no {role} leaderboard for the {grain} starting {start}: no active reps")
    kind = {"currency": "money", "ratio": "pct", "count": "int"}.get(rows[0][5], "num")
    so_far = " (so far)" if rows[0][6] else ""
    parts = []
    for entity_type, label in (("rep", "rep"), ("team", "team")):
        shown = [r for r in rows if r[1] == entity_type][:top]
        if shown:
            parts.append(f"{role} {label} leaderboard: {metric}, {grain} of {start}{so_far}")
            parts.append(
                table(
                    ["rank", label, "id", metric],
                    [[fmt(r[0]), str(r[3] or "-"), r[2], fmt(r[4], kind)] for r in shown],
                )
            )
            parts.append("")
    return "\n".join(parts).rstrip()


def scorecard_report(warehouse: Path, rep: str) -> str:
    """A rep's scorecard: every goal of the periods holding the as-of date, and the last
    complete month's, leading indicators beside results."""
    with _marts(warehouse) as con:
        found = con.execute(
            """select user_id, full_name, role, team_id from marts.dim_reps
            where user_id = ? or lower(full_name) = lower(?) order by user_id""",
            [rep, rep],
        ).fetchall()
        if not found:
            known = [
                str(n)
                for r in con.execute("select user_id, full_name from marts.dim_reps").fetchall()
                for n in r
                if n
            ]
            close = difflib.get_close_matches(rep, known, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            raise UserError(f"no rep {rep!r}{hint}: give a user id (e.g. U000012) or a full name")
        if len(found) > 1:
            raise UserError(f"{rep!r} names {len(found)} reps: give the user id")
        user_id, name, role, team = found[0]
        rows = con.execute(
            """with latest_complete as (
                select max(period_start) as month from marts.kpi_scorecard
                where scope = 'user' and scope_id = ? and grain = 'month'
                    and period_status = 'complete'
            )
            select s.metric, s.metric_kind, s.unit, s.grain, s.period_start, s.period_status,
                s.target, s.actual, s.attainment, s.expected_to_date, s.pace, s.as_of_date
            from marts.kpi_scorecard as s cross join latest_complete
            where s.scope = 'user' and s.scope_id = ?
                and (s.period_status = 'current'
                     or (s.grain = 'month' and s.period_start = latest_complete.month))
            order by s.period_status desc, s.metric_kind, s.metric, s.grain""",
            [user_id, user_id],
        ).fetchall()
    if not rows:
        return f"Scorecard for {name} ({user_id}, {role}, team {team}): no goals set"
    parts = [f"Scorecard for {name} ({user_id}, {role}, team {team}) as of {rows[0][11]}"]
    body = []
    for metric, kind_, unit, grain, start, status, target, actual, att, expected, pace, _ in rows:
        money = "pct" if unit == "ratio" else "money"  # counts print whole, like money
        body.append(
            [
                metric,
                kind_ or "-",
                f"{grain} {start}",
                status,
                fmt(target, money),
                fmt(actual, money),
                fmt(att, "pct"),
                fmt(expected, money),
                fmt(pace, "pct"),
            ]
        )
    parts.append(
        table(
            [
                "metric",
                "kind",
                "period",
                "status",
                "target",
                "actual",
                "attain",
                "expected",
                "pace",
            ],
            body,
        )
    )
    return "\n".join(parts)
