"""`salesperf report`: a static HTML dashboard and a TV leaderboard from the serving file.

Everything is read through the BI connection (read-only, no file access) from the
published marts, so the pictures show exactly what BI tools see. The pages open from
disk with no server and no internet: Plotly's JavaScript is written once beside them
(assets/plotly.min.js) and every chart's data is inlined.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from salesperf.errors import UserError
from salesperf.report import fmt
from salesperf.settings import Settings
from salesperf.warehouse_io import connect_read_only, replace_folder, serving_path

TV_REFRESH_SECONDS = 300  # the TV page reloads itself; a publish shows within 5 minutes
TV_ROTATE_SECONDS = 20  # one role's board at a time, large enough to read across a room

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
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


@dataclass(frozen=True)
class Dashboard:
    index: Path
    tv: Path
    month: date


def dashboard_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "dashboard"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _chart(fig: go.Figure, div_id: str, height: int = 340) -> str:
    fig.update_layout(
        height=height,
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.2},
    )
    # room for the longest rep name instead of cutting it
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return pio.to_html(
        fig, include_plotlyjs=False, full_html=False, div_id=div_id, config=CHART_CONFIG
    )


def _months_axis(fig: go.Figure, months: list) -> go.Figure:
    """Month ticks on a monthly chart (Plotly would pick weeks for a short period)."""
    fig.update_xaxes(dtick="M1" if len(months) <= 6 else "M2", tickformat="%b %Y")
    return fig


def _ranked_bars(labels: list[str], values: list) -> go.Figure:
    """Horizontal bars, first entry on top (a board reads top down)."""
    return go.Figure(go.Bar(y=labels[::-1], x=values[::-1], orientation="h"))


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The as-of date the publication was computed for (no event at all: today)."""
    return con.execute("select as_of_date from marts._publication").fetchone()[0] or date.today()


def _latest_complete_month(con: duckdb.DuckDBPyConnection, as_of: date) -> date:
    row = con.execute(
        """select max(month) from marts.kpi_company_monthly
        where last_day(month) <= ?""",
        [as_of],
    ).fetchone()
    if row[0] is None:  # not one complete month yet: show the one in progress
        row = con.execute("select max(month) from marts.kpi_company_monthly").fetchone()
    return row[0] or as_of.replace(day=1)  # no month at all: an empty page, not a crash


def _names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    reps = con.execute("select user_id, full_name from marts.dim_reps").fetchall()
    teams = con.execute("select team_id, team_name from marts.dim_teams").fetchall()
    return {k: v or k for k, v in reps + teams}


def _change(now: object, before: object, kind: str) -> str:
    """The change against last month: points for a rate, a percentage for the rest."""
    if now is None or before is None:
        return "last month unknown" if now is not None else "unknown this month"
    now, before = float(now), float(before)
    if kind == "pct":
        delta = (now - before) * 100
        return (
            f"{'▲' if delta > 0 else '▼' if delta < 0 else '='} {abs(delta):.1f} pts vs last month"
        )
    if before == 0:
        return "last month: 0"
    delta = (now - before) / abs(before)
    return f"{'▲' if delta > 0 else '▼' if delta < 0 else '='} {abs(delta):.1%} vs last month"


def _tiles(con: duckdb.DuckDBPyConnection, month: date, currency: str) -> str:
    """Each headline KPI with its currency, its change against last month and, where the
    company set a monthly goal on it, its attainment of that target."""
    columns = ", ".join(name for name, _ in TILES)
    found = _rows(
        con,
        f"select month, {columns} from marts.kpi_company_monthly "
        "where month in (?, ?::date - interval 1 month) order by month desc",
        [month, month],
    )
    values = found[0] if found and found[0]["month"] == month else {}
    before = found[-1] if found and found[-1]["month"] != month else {}
    targets = {
        r["metric"]: r
        for r in _rows(
            con,
            """select metric, target, attainment from marts.kpi_scorecard
            where scope = 'company' and grain = 'month' and period_start = ?""",
            [month],
        )
    }
    tiles = []
    for name, kind in TILES:
        label = name.replace("_", " ")
        value = fmt(values.get(name), kind)
        if kind == "money" and value != "-":
            value = f"{value} {currency}"
        notes = [_change(values.get(name), before.get(name), kind)]
        if name in targets and targets[name]["target"] is not None:
            target = targets[name]
            notes.append(
                f"{fmt(target['attainment'], 'pct')} of target {fmt(target['target'], kind)}"
            )
        tiles.append(
            f'<div class="tile"><div class="label">{label}</div>'
            f'<div class="value" id="tile-{name}">{html.escape(value)}</div>'
            + "".join(
                f'<div class="note" id="tile-{name}-{i}">{html.escape(n)}</div>'
                for i, n in enumerate(notes)
            )
            + "</div>"
        )
    return '<div class="tiles">' + "".join(tiles) + "</div>"


def _immature_from(con: duckdb.DuckDBPyConnection, as_of: date) -> date | None:
    """The first month whose cohorts are too recent to have converted: created less than
    the mean sales cycle of the won deals before the as-of date."""
    cycle = con.execute(
        """select sum(sales_cycle_days_total) / nullif(sum(deals_won), 0)
        from marts.kpi_company_monthly"""
    ).fetchone()[0]
    if cycle is None:
        return None
    return con.execute(
        "select date_trunc('month', ?::date - to_days(cast(round(?) as integer)))::date",
        [as_of, cycle],
    ).fetchone()[0]


def _company_trends(con: duckdb.DuckDBPyConnection, as_of: date) -> str:
    rows = _rows(
        con,
        """select month, revenue, win_rate, opportunity_conversion_rate, cac,
                  lead_to_opportunity_rate
        from marts.kpi_company_monthly order by month""",
    )
    months = [r["month"] for r in rows]
    immature = _immature_from(con, as_of)
    revenue = go.Figure(go.Bar(x=months, y=[r["revenue"] for r in rows], name="revenue"))
    revenue.update_layout(title="Revenue by month")
    rates = go.Figure()
    for column in ("win_rate", "opportunity_conversion_rate", "lead_to_opportunity_rate"):
        rates.add_trace(
            go.Scatter(x=months, y=[r[column] for r in rows], name=column.replace("_", " "))
        )
    rates.update_layout(title="Conversion (cohorts by creation month)", yaxis_tickformat=".0%")
    if immature is not None and months and immature <= months[-1]:
        # a cohort younger than the usual sales cycle has not had time to convert: its low
        # rate is not a collapse
        rates.add_vrect(
            x0=immature - timedelta(days=15),
            x1=months[-1] + timedelta(days=15),
            fillcolor="#888",
            opacity=0.12,
            line_width=0,
            annotation_text="too recent to have converted",
            annotation_position="top left",
        )
    cac = go.Figure(go.Scatter(x=months, y=[r["cac"] for r in rows], name="CAC", mode="lines"))
    # one launch month's cost can be 50 times a normal month's: a log axis keeps the rest
    cac.update_layout(title="Customer acquisition cost (log scale)")
    cac.update_yaxes(type="log")
    for fig in (revenue, rates, cac):
        _months_axis(fig, months)
    return (
        '<div class="grid">'
        + _chart(revenue, "chart-revenue")
        + _chart(rates, "chart-conversion")
        + _chart(cac, "chart-cac")
        + "</div>"
    )


def _scorecards(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> str:
    """The current month's user goals: attainment so far against pace, per role."""
    parts = []
    for role, metric, kind in ROLE_BOARDS:
        rows = _rows(
            con,
            """select s.scope_id, s.target, s.actual, s.attainment, s.expected_to_date, s.pace
            from marts.kpi_scorecard as s
            inner join marts.dim_reps as r on s.scope_id = r.user_id
            where s.scope = 'user' and s.grain = 'month' and s.period_status = 'current'
              and s.metric = ? and r.role = ?
            order by s.pace desc nulls last, s.scope_id""",
            [metric, role],
        )
        if not rows:
            continue
        fig = go.Figure(
            go.Bar(
                x=[names.get(r["scope_id"], r["scope_id"]) for r in rows],
                y=[r["pace"] for r in rows],
                name="pace",
            )
        )
        fig.add_hline(y=1, line_dash="dash", annotation_text="on pace")
        fig.update_layout(
            title=f"{role} pace on {metric.replace('_', ' ')}", yaxis_tickformat=".0%"
        )
        table = _table(
            ["rep", "target", "actual", "attainment", "expected to date", "pace"],
            [
                [
                    names.get(r["scope_id"], r["scope_id"]),
                    fmt(r["target"], kind),
                    fmt(r["actual"], kind),
                    fmt(r["attainment"], "pct"),
                    fmt(r["expected_to_date"], kind),
                    fmt(r["pace"], "pct"),
                ]
                for r in rows
            ],
            f"scorecard-{role.lower()}",
        )
        parts.append(
            f'<div class="panel">{_chart(fig, f"chart-pace-{role.lower()}")}'
            f"<details><summary>{role} scorecard</summary>{table}</details></div>"
        )
    return '<div class="grid">' + "".join(parts) + "</div>"


def _quota_distribution(con: duckdb.DuckDBPyConnection, month: date) -> str:
    rows = _rows(
        con,
        """select attainment from marts.kpi_quota_attainment
        where grain = 'month' and period_start = ? and attainment is not null""",
        [month],
    )
    company = _rows(
        con,
        """select period_start, share_at_or_above_quota from marts.kpi_quota_attainment_company
        where grain = 'month' order by period_start""",
    )
    histogram = go.Figure(
        go.Histogram(x=[float(r["attainment"]) for r in rows], xbins={"size": 0.1}, name="reps")
    )
    histogram.add_vline(x=1, line_dash="dash", annotation_text="quota")
    histogram.update_layout(
        title=f"Quota attainment, {month:%B %Y}", xaxis_tickformat=".0%", yaxis_title="reps"
    )
    share = go.Figure(
        go.Bar(
            x=[r["period_start"] for r in company],
            y=[r["share_at_or_above_quota"] for r in company],
            name="share at quota",
        )
    )
    share.update_layout(title="Share of reps at or above quota", yaxis_tickformat=".0%")
    _months_axis(share, [r["period_start"] for r in company])
    return (
        '<div class="grid">'
        + _chart(histogram, "chart-quota-distribution")
        + _chart(share, "chart-quota-share")
        + "</div>"
    )


def _leaderboard_rows(
    con: duckdb.DuckDBPyConnection, role: str, metric: str, month: date, top: int
) -> list[dict]:
    return _rows(
        con,
        """select entity_id, value, rank from marts.kpi_leaderboard
        where role = ? and metric = ? and grain = 'month' and period_start = ?
          and entity_type = 'rep'
        order by rank, entity_id limit ?""",
        [role, metric, month, top],
    )


def _leaderboards(con: duckdb.DuckDBPyConnection, month: date, names: dict[str, str]) -> str:
    parts = []
    for role, metric, kind in ROLE_BOARDS:
        rows = _leaderboard_rows(con, role, metric, month, 10)
        fig = _ranked_bars(
            [names.get(r["entity_id"], r["entity_id"]) for r in rows], [r["value"] for r in rows]
        )
        fig.update_layout(title=f"{role} top 10: {metric.replace('_', ' ')}, {month:%B %Y}")
        table = _table(
            ["rank", "rep", metric.replace("_", " ")],
            [
                [str(r["rank"]), names.get(r["entity_id"], r["entity_id"]), fmt(r["value"], kind)]
                for r in rows
            ],
            f"leaderboard-{role.lower()}",
        )
        parts.append(
            f'<div class="panel">{_chart(fig, f"chart-board-{role.lower()}")}{table}</div>'
        )
    return '<div class="grid">' + "".join(parts) + "</div>"


def _contests(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> str:
    contests = _rows(
        con,
        """select distinct contest_id, contest_name, metric, status, start_date, end_date,
                  standings_through
        from marts.kpi_contest_standings order by start_date desc, contest_id""",
    )
    parts = []
    for c in contests:
        rows = _rows(
            con,
            """select participant_id, total, rank, is_leader from marts.kpi_contest_standings
            where contest_id = ? order by rank nulls last, participant_id limit 10""",
            [c["contest_id"]],
        )
        heading = (
            f"{c['contest_name']} ({c['metric'].replace('_', ' ')}, "
            f"{c['start_date']} to {c['end_date']}, {c['status']})"
        )
        if all(r["total"] is None for r in rows):
            body = (
                "<p>Not started yet: "
                + html.escape(
                    ", ".join(names.get(r["participant_id"], r["participant_id"]) for r in rows)
                )
                + "</p>"
            )
        else:
            fig = _ranked_bars(
                [names.get(r["participant_id"], r["participant_id"]) for r in rows],
                [r["total"] for r in rows],
            )
            body = _chart(fig, f"chart-contest-{c['contest_id']}", height=300)
        parts.append(
            f'<div class="panel" data-contest="{html.escape(str(c["contest_id"]))}">'
            f"<h3>{html.escape(heading)}</h3>{body}</div>"
        )
    return '<div class="grid">' + "".join(parts) + "</div>"


def _lead_sources(con: duckdb.DuckDBPyConnection) -> str:
    # pooled over the whole period from the published sums: never an average of ratios
    rows = _rows(
        con,
        """select lead_source,
                  sum(leads_sent_qualified) / nullif(sum(leads_created), 0) as qualified_share,
                  sum(leads_converted) / nullif(sum(leads_created), 0) as lead_to_opportunity_rate,
                  sum(deals_won) / nullif(sum(deals_won + deals_lost), 0) as win_rate,
                  sum(revenue) as revenue
        from marts.kpi_lead_source_monthly group by lead_source order by revenue desc nulls last""",
    )
    sources = [r["lead_source"] for r in rows]
    fig = go.Figure()
    for column in ("qualified_share", "lead_to_opportunity_rate", "win_rate"):
        fig.add_trace(go.Bar(x=sources, y=[r[column] for r in rows], name=column.replace("_", " ")))
    fig.update_layout(title="Lead-source quality (whole period)", yaxis_tickformat=".0%")
    revenue = go.Figure(go.Bar(x=sources, y=[r["revenue"] for r in rows], name="revenue"))
    revenue.update_layout(title="Revenue by lead source")
    return (
        '<div class="grid">'
        + _chart(fig, "chart-lead-source-quality")
        + _chart(revenue, "chart-lead-source-revenue")
        + "</div>"
    )


def _am_books(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(
        con,
        """select month, sum(portfolio_value) as portfolio_value,
                  sum(initial_portfolio_value) as initial_portfolio_value,
                  sum(retained_portfolio_value) / nullif(sum(starting_portfolio_value), 0)
                      as net_revenue_retention
        from marts.kpi_am_monthly group by month order by month""",
    )
    months = [r["month"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=[r["portfolio_value"] for r in rows], name="book value"))
    fig.add_trace(
        go.Scatter(x=months, y=[r["initial_portfolio_value"] for r in rows], name="initial value")
    )
    fig.update_layout(title="AM book value at month end")
    nrr = go.Figure(go.Scatter(x=months, y=[r["net_revenue_retention"] for r in rows], name="NRR"))
    # NRR moves within a few points: whole-percent ticks repeated (99 %, 99 %, 100 %)
    nrr.update_layout(title="Net revenue retention", yaxis_tickformat=".1%")
    _months_axis(fig, months)
    _months_axis(nrr, months)
    return (
        '<div class="grid">' + _chart(fig, "chart-am-book") + _chart(nrr, "chart-am-nrr") + "</div>"
    )


STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;color:#c8cedb}
section{padding:8px 24px} h2{font-size:18px;margin:18px 0 8px}
.tiles{display:flex;flex-wrap:wrap;gap:12px}
.tile{background:#fff;border-radius:8px;padding:12px 16px;min-width:150px;
  box-shadow:0 1px 2px #0002}
.tile .label{font-size:12px;color:#5b6477;text-transform:uppercase}
.tile .value{font-size:26px;font-weight:600}
.tile .note{font-size:12px;color:#5b6477}
/* auto-fill, not auto-fit: a chart is drawn as soon as it is parsed, and with auto-fit the
   first chart of a row would take the whole row's width before its neighbours exist */
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
.panel,.grid>div{background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 2px #0002}
.grid>div{min-width:0}  /* a chart takes its column's width, never widens it */
table{border-collapse:collapse;width:100%;font-size:13px}
h3{font-size:14px;margin:4px 8px}
th,td{padding:4px 8px;border-bottom:1px solid #e3e6eb;text-align:right}
th:first-child,td:first-child,td:nth-child(2){text-align:left}
"""

TV_STYLE = """
html,body{margin:0;height:100vh;overflow:hidden;background:#0d1117;color:#f0f3f6;
  font-family:system-ui,sans-serif}
header{display:flex;align-items:baseline;justify-content:space-between;height:8vh;
  padding:0 3vw;box-sizing:border-box}
header h1{font-size:4.5vh;margin:0} header p{font-size:2.6vh;margin:0;color:#9da7b3}
/* the table and its chart side by side: a 1920x1080 screen shows both, nothing scrolls */
.board{display:none;height:90vh;padding:0 3vw;box-sizing:border-box}
.board.active{display:grid;grid-template-columns:44% 56%;grid-template-rows:8vh 80vh}
.board h2{grid-column:1/3;font-size:4.5vh;margin:0;align-self:center}
.board table{font-size:3.6vh;border-collapse:collapse;align-self:start;width:100%;
  table-layout:fixed}
.board td{padding:.6vh 1vw;border-bottom:1px solid #30363d;white-space:nowrap}
.board td.name{overflow:hidden;text-overflow:ellipsis}
.board td.rank{width:5vw;color:#f2cc60;font-weight:700}
.board td.value{text-align:right;width:14vw}
.board .chart{height:78vh;min-width:0}
"""


def _page(title: str, subtitle: str, body: str, *, style: str, head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>{head}
<style>{style}</style>
<script src="assets/plotly.min.js"></script>
</head><body>
<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>
{body}
</body></html>
"""


def _tv_page(
    con: duckdb.DuckDBPyConnection, as_of: date, version: str, names: dict[str, str]
) -> str:
    """The current month's boards, one role at a time, for an office TV."""
    month = as_of.replace(day=1)
    boards = []
    for number, (role, metric, kind) in enumerate(ROLE_BOARDS):
        rows = _leaderboard_rows(con, role, metric, month, 10)
        table = "".join(
            f'<tr><td class="rank">{r["rank"]}</td>'
            f'<td class="name">{html.escape(names.get(r["entity_id"], r["entity_id"]))}</td>'
            f'<td class="value">{fmt(r["value"], kind)}</td></tr>'
            for r in rows
        )
        # horizontal bars: a whole name reads on one line, first place on top
        fig = go.Figure(
            go.Bar(
                y=[names.get(r["entity_id"], r["entity_id"]) for r in rows][::-1],
                x=[r["value"] for r in rows][::-1],
                orientation="h",
                marker_color="#f2cc60",
            )
        )
        fig.update_yaxes(automargin=True, showticklabels=False)
        fig.update_layout(
            autosize=True,  # fills the chart box beside the table
            margin={"l": 80, "r": 20, "t": 10, "b": 20},
            template="plotly_dark",
            font={"size": 22},  # read from across the room
            paper_bgcolor="#0d1117",
            plot_bgcolor="#0d1117",
        )
        chart = pio.to_html(
            fig,
            include_plotlyjs=False,
            full_html=False,
            div_id=f"tv-chart-{role.lower()}",
            config={"displayModeBar": False, "staticPlot": True, "responsive": True},
            default_height="100%",
            default_width="100%",
        )
        active = " active" if number == 0 else ""
        boards.append(
            f'<div class="board{active}" id="tv-board-{role.lower()}">'
            f"<h2>{role}: {metric.replace('_', ' ')} this month</h2>"
            f'<table id="tv-leaderboard-{role.lower()}">{table}</table>'
            f'<div class="chart">{chart}</div></div>'
        )
    rotate = f"""<script>
(function () {{
  var boards = document.querySelectorAll('.board'), shown = 0;
  setInterval(function () {{
    boards[shown].classList.remove('active');
    shown = (shown + 1) % boards.length;
    boards[shown].classList.add('active');
    window.dispatchEvent(new Event('resize'));  // let the newly shown chart fit its box
  }}, {TV_ROTATE_SECONDS * 1000});
}})();
</script>"""
    head = f'<meta http-equiv="refresh" content="{TV_REFRESH_SECONDS}">'
    body = "".join(boards) + rotate
    return _page(
        f"Leaderboard — {month:%B %Y}",
        f"as of {as_of:%d %B %Y}",  # the sales floor needs the date, not a build id
        body,
        style=TV_STYLE,
        head=head,
    )


def write_dashboard(settings: Settings, out: Path | None = None) -> Dashboard:
    """Write index.html (the dashboard) and tv.html (the TV board) from the serving file."""
    serving = serving_path(settings)
    if not serving.exists():
        raise UserError(f"nothing published yet at {serving}: run `salesperf run` first")
    out = out or dashboard_dir(settings)
    staging = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "assets").mkdir(parents=True)
    (staging / "assets" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    with connect_read_only(serving) as con:
        version, not_delivered, currency = con.execute(
            "select version, entities_not_delivered, reporting_currency from marts._publication"
        ).fetchone()
        as_of = _as_of(con)
        month = _latest_complete_month(con, as_of)
        names = _names(con)
        sections = [
            (f"Company, {month:%B %Y}", _tiles(con, month, currency)),
            ("Company trends", _company_trends(con, as_of)),
            (f"Scorecards: pace this month (as of {as_of})", _scorecards(con, names)),
            ("Quota attainment", _quota_distribution(con, month)),
            (f"Leaderboards, {month:%B %Y}", _leaderboards(con, month, names)),
            ("Contests", _contests(con, names)),
            ("Lead-source quality", _lead_sources(con)),
            ("Account managers: book growth", _am_books(con)),
        ]
        tv = _tv_page(con, as_of, version, names)
    body = "".join(
        f'<section id="section-{i}"><h2>{html.escape(title)}</h2>{content}</section>'
        for i, (title, content) in enumerate(sections)
    )
    subtitle = f"as of {as_of} · latest complete month {month:%B %Y} · published version {version}"
    if not_delivered:
        subtitle += f" · not delivered: {not_delivered} (what they feed is unknown: -)"
    index = _page("Sales performance", subtitle, body, style=STYLE)
    (staging / "index.html").write_text(index, encoding="utf-8")
    (staging / "tv.html").write_text(tv, encoding="utf-8")
    replace_folder(staging, out)  # a browser never sees half an old, half a new page
    return Dashboard(out / "index.html", out / "tv.html", month)
