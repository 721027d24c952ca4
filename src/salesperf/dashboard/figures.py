"""How the dashboard draws: Plotly figures from rows, and a figure as an HTML fragment.
The data is inlined in each fragment; Plotly's JavaScript is written once beside the
pages, so they open from disk with no server and no internet."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import plotly.io as pio

CHART_CONFIG = {"displayModeBar": False, "responsive": True}


def chart(fig: go.Figure, div_id: str, height: int = 340) -> str:
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


def months_axis(fig: go.Figure, months: list) -> go.Figure:
    """Month ticks on a monthly chart (Plotly would pick weeks for a short period)."""
    fig.update_xaxes(dtick="M1" if len(months) <= 6 else "M2", tickformat="%b %Y")
    return fig


def ranked_bars(labels: list[str], values: list) -> go.Figure:
    """Horizontal bars, first entry on top (a board reads top down)."""
    return go.Figure(go.Bar(y=labels[::-1], x=values[::-1], orientation="h"))


def revenue_by_month(rows: list[dict]) -> go.Figure:
    months = [r["month"] for r in rows]
    fig = go.Figure(go.Bar(x=months, y=[r["revenue"] for r in rows], name="revenue"))
    fig.update_layout(title="Revenue by month")
    return months_axis(fig, months)


def conversion_by_cohort(rows: list[dict], immature: date | None) -> go.Figure:
    months = [r["month"] for r in rows]
    fig = go.Figure()
    for column in ("win_rate", "opportunity_conversion_rate", "lead_to_opportunity_rate"):
        fig.add_trace(
            go.Scatter(x=months, y=[r[column] for r in rows], name=column.replace("_", " "))
        )
    fig.update_layout(title="Conversion (cohorts by creation month)", yaxis_tickformat=".0%")
    if immature is not None and months and immature <= months[-1]:
        # a cohort younger than the usual sales cycle has not had time to convert: its low
        # rate is not a collapse
        fig.add_vrect(
            x0=immature - timedelta(days=15),
            x1=months[-1] + timedelta(days=15),
            fillcolor="#888",
            opacity=0.12,
            line_width=0,
            annotation_text="too recent to have converted",
            annotation_position="top left",
        )
    return months_axis(fig, months)


def cac_by_month(rows: list[dict]) -> go.Figure:
    months = [r["month"] for r in rows]
    fig = go.Figure(go.Scatter(x=months, y=[r["cac"] for r in rows], name="CAC", mode="lines"))
    # one launch month's cost can be 50 times a normal month's: a log axis keeps the rest
    fig.update_layout(title="Customer acquisition cost (log scale)")
    fig.update_yaxes(type="log")
    return months_axis(fig, months)


def pace(labels: list[str], rows: list[dict], role: str, metric: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=labels, y=[r["pace"] for r in rows], name="pace"))
    fig.add_hline(y=1, line_dash="dash", annotation_text="on pace")
    fig.update_layout(title=f"{role} pace on {metric.replace('_', ' ')}", yaxis_tickformat=".0%")
    return fig


def attainment_histogram(rows: list[dict], month: date) -> go.Figure:
    fig = go.Figure(
        go.Histogram(x=[float(r["attainment"]) for r in rows], xbins={"size": 0.1}, name="reps")
    )
    fig.add_vline(x=1, line_dash="dash", annotation_text="quota")
    fig.update_layout(
        title=f"Quota attainment, {month:%B %Y}", xaxis_tickformat=".0%", yaxis_title="reps"
    )
    return fig


def share_at_quota(rows: list[dict]) -> go.Figure:
    periods = [r["period_start"] for r in rows]
    fig = go.Figure(
        go.Bar(x=periods, y=[r["share_at_or_above_quota"] for r in rows], name="share at quota")
    )
    fig.update_layout(title="Share of reps at or above quota", yaxis_tickformat=".0%")
    return months_axis(fig, periods)


def lead_source_quality(rows: list[dict]) -> go.Figure:
    sources = [r["lead_source"] for r in rows]
    fig = go.Figure()
    for column in ("qualified_share", "lead_to_opportunity_rate", "win_rate"):
        fig.add_trace(go.Bar(x=sources, y=[r[column] for r in rows], name=column.replace("_", " ")))
    fig.update_layout(title="Lead-source quality (whole period)", yaxis_tickformat=".0%")
    return fig


def lead_source_revenue(rows: list[dict]) -> go.Figure:
    sources = [r["lead_source"] for r in rows]
    fig = go.Figure(go.Bar(x=sources, y=[r["revenue"] for r in rows], name="revenue"))
    fig.update_layout(title="Revenue by lead source")
    return fig


def am_book_value(rows: list[dict]) -> go.Figure:
    months = [r["month"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=[r["portfolio_value"] for r in rows], name="book value"))
    fig.add_trace(
        go.Scatter(x=months, y=[r["initial_portfolio_value"] for r in rows], name="initial value")
    )
    fig.update_layout(title="AM book value at month end")
    return months_axis(fig, months)


def net_revenue_retention(rows: list[dict]) -> go.Figure:
    months = [r["month"] for r in rows]
    fig = go.Figure(go.Scatter(x=months, y=[r["net_revenue_retention"] for r in rows], name="NRR"))
    # NRR moves within a few points: whole-percent ticks repeated (99 %, 99 %, 100 %)
    fig.update_layout(title="Net revenue retention", yaxis_tickformat=".1%")
    return months_axis(fig, months)


def tv_board(labels: list[str], values: list, div_id: str) -> str:
    """A TV board's bars, static and large, filling the box beside its table."""
    # horizontal bars: a whole name reads on one line, first place on top
    fig = go.Figure(go.Bar(y=labels[::-1], x=values[::-1], orientation="h", marker_color="#f2cc60"))
    fig.update_yaxes(automargin=True, showticklabels=False)
    fig.update_layout(
        autosize=True,  # fills the chart box beside the table
        margin={"l": 80, "r": 20, "t": 10, "b": 20},
        template="plotly_dark",
        font={"size": 22},  # read from across the room
        paper_bgcolor="#0d1117",
        plot_bgcolor="#0d1117",
    )
    return pio.to_html(
        fig,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"displayModeBar": False, "staticPlot": True, "responsive": True},
        default_height="100%",
        default_width="100%",
    )


def pipeline_by_week(rows: list[dict]) -> go.Figure:
    """Stacked open pipeline per stage at each week start: how the pipeline stood then."""
    fig = go.Figure()
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    for stage in stages:
        mine = [r for r in rows if r["stage"] == stage]
        fig.add_trace(
            go.Scatter(
                x=[r["snapshot_date"] for r in mine],
                y=[r["amount"] for r in mine],
                name=stage,
                stackgroup="pipeline",
            )
        )
    fig.update_layout(title="Open pipeline by stage, week by week")
    return fig


def forecast_against_bookings(rows: list[dict]) -> go.Figure:
    months = [r["period_start"] for r in rows]
    mape = next((r["forecast_mape"] for r in rows if r["forecast_mape"] is not None), None)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=months, y=[r["bookings_amount"] for r in rows], name="bookings"))
    tested = [r for r in rows if r["is_backtested"]]
    fig.add_trace(
        go.Scatter(
            x=[r["period_start"] for r in tested],
            y=[r["statistical_forecast"] for r in tested],
            name="forecast made at the month start",
            mode="lines+markers",
        )
    )
    title = "Forecast vs bookings"
    if mape is not None:
        title += f" (MAPE {mape:.1%})"
    fig.update_layout(title=title)
    return months_axis(fig, months)


def slippage(rows: list[dict]) -> go.Figure:
    months = [r["period_start"] for r in rows]
    fig = go.Figure(go.Bar(x=months, y=[r["slip_rate"] for r in rows], name="slip rate"))
    fig.update_layout(
        title="Slip rate by month",
        yaxis_tickformat=".0%",
    )
    return months_axis(fig, months)


def stage_funnel(rows: list[dict]) -> go.Figure:
    stages = [r["stage"] for r in rows]
    fig = go.Figure(
        go.Bar(
            x=stages,
            y=[r["rate"] for r in rows],
            text=[
                f"{r['typical_days']:.0f} days in stage" if r["typical_days"] is not None else ""
                for r in rows
            ],
            name="stage conversion",
        )
    )
    fig.update_layout(
        title="Stage conversion, last 6 months",
        yaxis_tickformat=".0%",
    )
    return fig


def pay_by_month(rows: list[dict]) -> go.Figure:
    """Base pay and commission expense stacked per month: what the plans cost."""
    months = [r["month"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=months, y=[r["base_pay"] for r in rows], name="base pay"))
    fig.add_trace(
        go.Bar(x=months, y=[r["commission_expense"] for r in rows], name="commission expense")
    )
    fig.update_layout(barmode="stack", title="Pay under the plans, by month")
    return months_axis(fig, months)


def ote_attainment(reps: list[str], values: list) -> go.Figure:
    fig = ranked_bars(reps, [None if v is None else float(v) for v in values])
    fig.update_xaxes(tickformat=".0%")
    fig.add_vline(x=1.0, line_dash="dot")
    fig.update_layout(title="On-target earnings attainment, year to date")
    return fig
