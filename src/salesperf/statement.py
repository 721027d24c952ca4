"""`salesperf kpis --statement REP --period YYYY-MM`: the commission statement a rep checks
line by line, printed from the published marts: each credited deal or handoff with the
attainment it moved through, its tier, rate and earnings, what the cap took back, the
clawbacks of deals undone, then the month's pay."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from salesperf.errors import UserError
from salesperf.pipeline_review import resolve_scope
from salesperf.report import _marts, fmt, table


def _month(period: str | None) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", period or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise UserError(f"--statement needs --period YYYY-MM (got {period!r})")
    return date(int(match[1]), int(match[2]), 1)


def _rate(component: str, rate: float | None) -> str:
    if rate is None:
        return "-"
    # a handoff pays an amount each; every other component a share of an amount
    return fmt(rate, "money") + " each" if component == "accepted_handoffs" else f"{rate:.2%}"


def _attainment(start: float | None, end: float | None) -> str:
    return "-" if start is None or end is None else f"{start:.0%}-{end:.0%}"


def _lines(con: duckdb.DuckDBPyConnection, user_id: str, month: date) -> list[str]:
    rows = con.execute(
        """select line_number, line_type, component, coalesce(handoff_id, opportunity_id),
            credit_date, undone_reason, credited_amount, attainment_from, attainment_to,
            tier_from_attainment, rate, earned, cap_adjustment, clawback, net_amount
        from marts.fct_commission_lines
        where user_id = ? and statement_month = ?
        order by line_number""",
        [user_id, month],
    ).fetchall()
    out = []
    for r in rows:
        credited = (
            "-"
            if r[6] is None
            else (fmt(r[6], "int") if r[2] == "accepted_handoffs" else fmt(r[6], "money"))
        )
        what = r[1] if r[5] is None else f"{r[1]} ({r[5]})"
        out.append(
            [
                str(r[0]), what, r[2], r[3] or "-", str(r[4]), credited,
                _attainment(r[7], r[8]), "-" if r[9] is None else f"{r[9]:.0%}",
                _rate(r[2], r[10]), fmt(r[11], "money"), fmt(r[12], "money"),
                fmt(r[13], "money"), fmt(r[14], "money"),
            ]
        )  # fmt: skip
    headers = [
        "#", "line", "component", "deal / handoff", "credit date", "credited", "attainment",
        "tier from", "rate", "earned", "cap", "clawback", "net",
    ]  # fmt: skip
    return [table(headers, out)] if out else ["  no commission lines this month"]


def _by_component(con: duckdb.DuckDBPyConnection, user_id: str, month: date) -> list[str]:
    rows = con.execute(
        """select component, line_type, tier_from_attainment, rate, lines, credited_amount,
            earned, cap_adjustment, clawback, net_amount
        from marts.kpi_commission_statement
        where user_id = ? and statement_month = ?
        order by component, line_type desc, tier_from_attainment nulls first, rate""",
        [user_id, month],
    ).fetchall()
    out = [
        [
            r[0], r[1], "-" if r[2] is None else f"{r[2]:.0%}", _rate(r[0], r[3]),
            fmt(r[4], "int"), fmt(r[5], "money"), fmt(r[6], "money"), fmt(r[7], "money"),
            fmt(r[8], "money"), fmt(r[9], "money"),
        ]
        for r in rows
    ]  # fmt: skip
    headers = ["component", "line", "tier from", "rate", "lines", "credited", "earned", "cap",
               "clawback", "net"]  # fmt: skip
    return [table(headers, out)] if out else []


def statement_report(warehouse: Path, who: str, period: str | None) -> str:
    month = _month(period)
    with _marts(warehouse) as con:
        scope, user_id, label = resolve_scope(con, who)
        if scope != "user":
            raise UserError(f"--statement is a rep's: {who!r} is a {scope}")
        delivered = con.execute(
            "select bool_or(are_comp_plans_delivered) from marts.kpi_commission_expense"
        ).fetchone()[0]
        if not delivered:
            raise UserError("no comp plans were delivered: there are no statements")
        pay = con.execute(
            """select base_pay, commission_earned, cap_adjustment, clawback, variable_pay,
                compensation, on_target_variable, ote_attainment
            from marts.kpi_compensation_monthly where user_id = ? and month = ?""",
            [user_id, month],
        ).fetchone()
        plans = con.execute(
            """select distinct plan_id, plan_period_start from marts.fct_commission_lines
            where user_id = ? and statement_month = ? order by plan_period_start, plan_id""",
            [user_id, month],
        ).fetchall()
        parts = [f"Commission statement for {label}, {month:%B %Y}"]
        if plans:
            parts.append("Plans: " + ", ".join(f"{p} (period from {start})" for p, start in plans))
        parts += ["", "Lines"]
        parts += _lines(con, user_id, month)
        component_rows = _by_component(con, user_id, month)
        if component_rows:
            parts += ["", "By component, tier and rate", *component_rows]
        parts.append("")
        if pay is None:
            parts.append("Pay: not on a plan this month")
        else:
            parts.append(
                f"Pay: base {fmt(pay[0], 'money')} + variable {fmt(pay[4], 'money')} "
                f"(earned {fmt(pay[1], 'money')}, cap {fmt(pay[2], 'money')}, "
                f"clawback {fmt(pay[3], 'money')}) = {fmt(pay[5], 'money')}"
            )
            parts.append(
                f"On-target variable this month {fmt(pay[6], 'money')}; "
                f"OTE attainment year to date {fmt(pay[7], 'pct')}"
            )
    return "\n".join(parts)
