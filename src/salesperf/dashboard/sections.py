"""What the dashboard shows, section by section: each reads its rows (queries), draws
them (figures) and lays them out (pages)."""

from __future__ import annotations

import html
from datetime import date

import duckdb

from salesperf.dashboard import figures, pages, queries
from salesperf.report import fmt

# headline tiles: company KPI, format kind
TILES = (
    ("revenue", "money"),
    ("win_rate", "pct"),
    ("new_customers", "int"),
    ("cac", "money"),
    ("revenue_per_rep", "money"),
    ("calls_per_rep", "num"),
)
# per role: the metric its leaderboard and pace chart feature
ROLE_BOARDS = (
    ("SDR", "qualified_leads_sent", "int"),
    ("AE", "bookings_amount", "money"),
    ("AM", "expansion_amount", "money"),
)


def headline(con: duckdb.DuckDBPyConnection, month: date, currency: str) -> str:
    """Each headline KPI with its currency, its change against last month and, where the
    company set a monthly goal on it, its attainment of that target."""
    values, before = queries.company_month_and_previous(con, month, [n for n, _ in TILES])
    targets = queries.company_targets(con, month)
    tiles = []
    for name, kind in TILES:
        value = fmt(values.get(name), kind)
        if kind == "money" and value != "-":
            value = f"{value} {currency}"
        notes = [pages.change(values.get(name), before.get(name), kind)]
        if name in targets and targets[name]["target"] is not None:
            target = targets[name]
            notes.append(
                f"{fmt(target['attainment'], 'pct')} of target {fmt(target['target'], kind)}"
            )
        tiles.append(pages.tile(name, value, notes))
    return pages.tiles(tiles)


def company_trends(con: duckdb.DuckDBPyConnection, as_of: date) -> str:
    rows = queries.company_trends(con)
    immature = queries.immature_from(con, as_of)
    return pages.grid(
        [
            figures.chart(figures.revenue_by_month(rows), "chart-revenue"),
            figures.chart(figures.conversion_by_cohort(rows, immature), "chart-conversion"),
            figures.chart(figures.cac_by_month(rows), "chart-cac"),
        ]
    )


def scorecards(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> str:
    """The current month's user goals: attainment so far against pace, per role."""
    parts = []
    for role, metric, kind in ROLE_BOARDS:
        rows = queries.current_scorecard(con, metric, role)
        if not rows:
            continue
        reps = [names.get(r["scope_id"], r["scope_id"]) for r in rows]
        table = pages.table(
            ["rep", "target", "actual", "attainment", "expected to date", "pace"],
            [
                [
                    rep,
                    fmt(r["target"], kind),
                    fmt(r["actual"], kind),
                    fmt(r["attainment"], "pct"),
                    fmt(r["expected_to_date"], kind),
                    fmt(r["pace"], "pct"),
                ]
                for rep, r in zip(reps, rows, strict=True)
            ],
            f"scorecard-{role.lower()}",
        )
        chart = figures.chart(figures.pace(reps, rows, role, metric), f"chart-pace-{role.lower()}")
        parts.append(
            f'<div class="panel">{chart}'
            f"<details><summary>{role} scorecard</summary>{table}</details></div>"
        )
    return pages.grid(parts)


def quota_attainment(con: duckdb.DuckDBPyConnection, month: date) -> str:
    histogram = figures.attainment_histogram(queries.quota_attainments(con, month), month)
    share = figures.share_at_quota(queries.share_at_quota(con))
    return pages.grid(
        [
            figures.chart(histogram, "chart-quota-distribution"),
            figures.chart(share, "chart-quota-share"),
        ]
    )


def leaderboards(con: duckdb.DuckDBPyConnection, month: date, names: dict[str, str]) -> str:
    parts = []
    for role, metric, kind in ROLE_BOARDS:
        rows = queries.leaderboard(con, role, metric, month, 10)
        reps = [names.get(r["entity_id"], r["entity_id"]) for r in rows]
        fig = figures.ranked_bars(reps, [r["value"] for r in rows])
        fig.update_layout(title=f"{role} top 10: {metric.replace('_', ' ')}, {month:%B %Y}")
        table = pages.table(
            ["rank", "rep", metric.replace("_", " ")],
            [
                [str(r["rank"]), rep, fmt(r["value"], kind)]
                for rep, r in zip(reps, rows, strict=True)
            ],
            f"leaderboard-{role.lower()}",
        )
        chart = figures.chart(fig, f"chart-board-{role.lower()}")
        parts.append(f'<div class="panel">{chart}{table}</div>')
    return pages.grid(parts)


def contests(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> str:
    parts = []
    for c in queries.contests(con):
        rows = queries.contest_top(con, c["contest_id"])
        participants = [names.get(r["participant_id"], r["participant_id"]) for r in rows]
        heading = (
            f"{c['contest_name']} ({c['metric'].replace('_', ' ')}, "
            f"{c['start_date']} to {c['end_date']}, {c['status']})"
        )
        if all(r["total"] is None for r in rows):
            body = "<p>Not started yet: " + html.escape(", ".join(participants)) + "</p>"
        else:
            fig = figures.ranked_bars(participants, [r["total"] for r in rows])
            body = figures.chart(fig, f"chart-contest-{c['contest_id']}", height=300)
        parts.append(
            f'<div class="panel" data-contest="{html.escape(str(c["contest_id"]))}">'
            f"<h3>{html.escape(heading)}</h3>{body}</div>"
        )
    return pages.grid(parts)


def lead_sources(con: duckdb.DuckDBPyConnection) -> str:
    rows = queries.lead_source_quality(con)
    return pages.grid(
        [
            figures.chart(figures.lead_source_quality(rows), "chart-lead-source-quality"),
            figures.chart(figures.lead_source_revenue(rows), "chart-lead-source-revenue"),
        ]
    )


def am_books(con: duckdb.DuckDBPyConnection) -> str:
    rows = queries.am_books(con)
    return pages.grid(
        [
            figures.chart(figures.am_book_value(rows), "chart-am-book"),
            figures.chart(figures.net_revenue_retention(rows), "chart-am-nrr"),
        ]
    )


def pipeline(con: duckdb.DuckDBPyConnection, as_of: date, names: dict[str, str]) -> str:
    """The pipeline review: the pipeline as it stood week by week, the forecast against
    what was booked, slippage, the stage funnel and the deals stalled in their stage."""
    # the funnel over the as-of month and the five before it
    months_back = as_of.year * 12 + as_of.month - 1 - 5
    six_months_ago = date(months_back // 12, months_back % 12 + 1, 1)
    stalled = queries.stalled(con, 10)
    table = pages.table(
        ["deal", "owner", "stage", "days in stage", "stage p75", "amount", "close date"],
        [
            [
                r["opportunity_id"],
                names.get(r["owner_user_id"], r["owner_user_id"] or "-"),
                r["stage"],
                fmt(r["days_in_stage"], "int"),
                fmt(r["p75_days_in_stage"]),
                fmt(r["pipeline_amount"], "money"),
                str(r["expected_close_date"] or "-"),
            ]
            for r in stalled
        ],
        "stalled-deals",
    )
    return pages.grid(
        [
            figures.chart(
                figures.pipeline_by_week(queries.pipeline_by_week(con)), "chart-pipeline"
            ),
            figures.chart(
                figures.forecast_against_bookings(queries.forecast_by_month(con)), "chart-forecast"
            ),
            figures.chart(figures.slippage(queries.slippage_by_month(con)), "chart-slippage"),
            figures.chart(
                figures.stage_funnel(queries.stage_conversion(con, six_months_ago)),
                "chart-stage-funnel",
            ),
            f'<div class="panel"><h3>Stalled deals (as of {as_of})</h3>{table}</div>',
        ]
    )


def compensation(con: duckdb.DuckDBPyConnection, month: date, names: dict[str, str]) -> str:
    """What the plans cost month by month, and each rep's pay in the latest complete month
    against target: the statement lines behind it are `salesperf kpis --statement`."""
    if not queries.comp_plans_delivered(con):
        return '<p class="note">No comp plans delivered: pay and commissions are unknown.</p>'
    pay = queries.pay_of_month(con, month)
    reps = [names.get(r["user_id"], r["user_id"]) for r in pay]
    table = pages.table(
        # variable = earned + cap adjustment - clawback: the statement has the three
        ["rep", "base", "variable", "pay", "OTE to date"],
        [
            [
                rep,
                fmt(r["base_pay"], "money"),
                fmt(r["variable_pay"], "money"),
                fmt(r["compensation"], "money"),
                fmt(r["ote_attainment"], "pct"),
            ]
            for rep, r in zip(reps, pay, strict=True)
        ],
        "pay-of-month",
    )
    return pages.grid(
        [
            figures.chart(figures.pay_by_month(queries.pay_by_month(con)), "chart-pay"),
            figures.chart(
                figures.ote_attainment(reps, [r["ote_attainment"] for r in pay]), "chart-ote"
            ),
            f'<div class="panel"><h3>Pay, {month:%B %Y}</h3>{table}</div>',
        ]
    )


def tv(con: duckdb.DuckDBPyConnection, as_of: date, names: dict[str, str]) -> str:
    """The current month's boards, one role at a time, for an office TV."""
    month = as_of.replace(day=1)
    boards = []
    for number, (role, metric, kind) in enumerate(ROLE_BOARDS):
        rows = queries.leaderboard(con, role, metric, month, 10)
        reps = [names.get(r["entity_id"], r["entity_id"]) for r in rows]
        chart = figures.tv_board(reps, [r["value"] for r in rows], f"tv-chart-{role.lower()}")
        lines = [(r["rank"], rep, fmt(r["value"], kind)) for rep, r in zip(reps, rows, strict=True)]
        boards.append(pages.tv_board(number, role, metric, lines, chart))
    return pages.tv_page(boards, month, as_of)
