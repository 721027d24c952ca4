"""`salesperf kpis --pipeline [WHO]`: the weekly pipeline review of a rep, a team or the
company, printed from the published marts: open pipeline by stage and forecast category,
the month and quarter under way against quota, last month's slippage, the statistical
forecast and its track record, and the deals stalled in their stage."""

from __future__ import annotations

import difflib
from pathlib import Path

import duckdb

from salesperf.errors import UserError
from salesperf.report import _marts, as_of_date, fmt, table

Scope = tuple[str, str, str]  # (scope, scope_id, label)


def resolve_scope(con: duckdb.DuckDBPyConnection, who: str | None) -> Scope:
    """A rep (user id or full name), a team (id or name), or the company (nothing given)."""
    if not who or who.lower() == "company":
        return "company", "company", "the company"
    reps = con.execute(
        "select user_id, full_name from marts.dim_reps "
        "where user_id = ? or lower(full_name) = lower(?)",
        [who, who],
    ).fetchall()
    teams = con.execute(
        "select team_id, team_name from marts.dim_teams "
        "where team_id = ? or lower(team_name) = lower(?)",
        [who, who],
    ).fetchall()
    if len(reps) + len(teams) > 1:
        raise UserError(f"{who!r} names {len(reps) + len(teams)} reps or teams: give the id")
    if reps:
        return "user", reps[0][0], f"{reps[0][1]} ({reps[0][0]})"
    if teams:
        return "team", teams[0][0], f"team {teams[0][1]} ({teams[0][0]})"
    known = [
        str(n)
        for sql in (
            "select user_id, full_name from marts.dim_reps",
            "select team_id, team_name from marts.dim_teams",
        )
        for row in con.execute(sql).fetchall()
        for n in row
        if n
    ]
    close = difflib.get_close_matches(who, known, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise UserError(f"no rep or team {who!r}{hint}: give a user id, a team id or a name")


def _open_pipeline(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    by_stage = con.execute(
        """select stage, sum(open_pipeline_count), sum(open_pipeline_amount),
            sum(weighted_pipeline_amount)
        from marts.kpi_pipeline_snapshots
        where snapshot_grain = 'as_of' and scope = ? and scope_id = ?
        group by stage order by min(stage_order) nulls last, stage""",
        [scope[0], scope[1]],
    ).fetchall()
    by_category = con.execute(
        """select coalesce(forecast_category, '-'), sum(open_pipeline_count),
            sum(open_pipeline_amount)
        from marts.kpi_pipeline_snapshots
        where snapshot_grain = 'as_of' and scope = ? and scope_id = ?
        group by 1 order by 3 desc nulls last""",
        [scope[0], scope[1]],
    ).fetchall()
    return [
        "Open pipeline by stage",
        table(
            ["stage", "deals", "amount", "weighted"],
            [[str(s), fmt(n, "int"), fmt(a, "money"), fmt(w, "money")] for s, n, a, w in by_stage],
        ),
        "",
        "Open pipeline by forecast category",
        table(
            ["category", "deals", "amount"],
            [[str(c), fmt(n, "int"), fmt(a, "money")] for c, n, a in by_category],
        ),
    ]


def _periods(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    rows = con.execute(
        """select period_grain, period_start, is_complete, quota_amount, bookings_amount,
            bookings_to_date_amount, pipeline_in_period_now_amount, coverage_now,
            expected_count, expected_amount, coverage_at_start, pushed_count, pushed_amount,
            slip_rate
        from marts.kpi_pipeline_periods
        where scope = ? and scope_id = ?
        order by period_grain, period_start desc""",
        [scope[0], scope[1]],
    ).fetchall()
    current = [r for r in rows if r[6] is not None]
    last_month = next((r for r in rows if r[0] == "month" and r[2]), None)
    out = ["Quota and coverage of the periods under way"]
    out.append(
        table(
            ["period", "quota", "booked", "open in period", "coverage now", "coverage at start"],
            [
                [
                    f"{r[0]} {r[1]}",
                    fmt(r[3], "money"),
                    fmt(r[5], "money"),
                    fmt(r[6], "money"),
                    fmt(r[7]),
                    fmt(r[10]),
                ]
                for r in current
            ],
        )
    )
    if last_month:
        out += [
            "",
            f"Slippage in {last_month[1]:%Y-%m} (deals expected at the start of the month)",
            table(
                ["expected", "amount", "pushed", "pushed amount", "slip rate", "booked"],
                [
                    [
                        fmt(last_month[8], "int"),
                        fmt(last_month[9], "money"),
                        fmt(last_month[11], "int"),
                        fmt(last_month[12], "money"),
                        fmt(last_month[13], "pct"),
                        fmt(last_month[4], "money"),
                    ]
                ],
            ),
        ]
    return out


def _forecast(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    if scope[0] == "user":
        return []  # forecast per team and company: a rep's month is too few deals
    rows = con.execute(
        """select period_start, statistical_forecast, bookings_amount, forecast_error,
            absolute_percentage_error, forecast_mape, is_backtested
        from marts.kpi_pipeline_forecast
        where scope = ? and scope_id = ? and period_grain = 'month'
        order by period_start desc limit 4""",
        [scope[0], scope[1]],
    ).fetchall()
    if not rows:
        return []
    return [
        "",
        f"Statistical forecast by month (back-test MAPE {fmt(rows[0][5], 'pct')})",
        table(
            ["month", "forecast", "booked", "error", "abs % error"],
            [
                [
                    f"{r[0]:%Y-%m}",
                    fmt(r[1], "money"),
                    fmt(r[2], "money"),
                    fmt(r[3], "money"),
                    fmt(r[4], "pct"),
                ]
                for r in reversed(rows)
            ],
        ),
    ]


def _stalled(con: duckdb.DuckDBPyConnection, scope: Scope, top: int) -> list[str]:
    column = {"user": "owner_user_id", "team": "owner_team_id"}.get(scope[0])
    where = f"where {column} = ?" if column else ""
    rows = con.execute(
        f"""select opportunity_id, owner_user_id, stage, days_in_stage, p75_days_in_stage,
            pipeline_amount, expected_close_date
        from marts.kpi_stalled_opportunities {where}
        order by days_in_stage - p75_days_in_stage desc, opportunity_id limit ?""",
        [scope[1], top] if column else [top],
    ).fetchall()
    return [
        "",
        f"Stalled deals (longer in their stage than its 75th percentile), top {top}",
        table(
            ["deal", "owner", "stage", "days", "p75", "amount", "close date"],
            [
                [r[0], str(r[1]), r[2], fmt(r[3], "int"), fmt(r[4]), fmt(r[5], "money"), str(r[6])]
                for r in rows
            ],
        ),
    ]


def pipeline_report(warehouse: Path, who: str | None = None, top: int = 5) -> str:
    with _marts(warehouse) as con:
        scope = resolve_scope(con, who)
        parts = [f"Pipeline review for {scope[2]} as of {as_of_date(con)}", ""]
        parts += _open_pipeline(con, scope)
        parts.append("")
        parts += _periods(con, scope)
        parts += _forecast(con, scope)
        parts += _stalled(con, scope, top)
    return "\n".join(parts)
