"""`salesperf report`: a static HTML dashboard and a TV leaderboard from the serving file.

Everything is read through the BI connection (read-only, no file access) from the
published marts, so the pictures show exactly what BI tools see. The pages open from
disk with no server and no internet: Plotly's JavaScript is written once beside them
(assets/plotly.min.js) and every chart's data is inlined.

queries.py reads, figures.py draws, pages.py lays out, sections.py says what each
section shows; this module writes the two pages.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plotly.offline import get_plotlyjs

from salesperf.dashboard import pages, queries, sections
from salesperf.errors import UserError
from salesperf.settings import Settings
from salesperf.warehouse_io import connect_read_only, replace_folder, serving_path

__all__ = ["Dashboard", "dashboard_dir", "write_dashboard"]


@dataclass(frozen=True)
class Dashboard:
    index: Path
    tv: Path
    month: date


def dashboard_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "dashboard"


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
        version, not_delivered, currency = queries.publication(con)
        as_of = queries.as_of(con)
        month = queries.latest_complete_month(con, as_of)
        names = queries.names(con)
        body = pages.sections(
            [
                (f"Company, {month:%B %Y}", sections.headline(con, month, currency)),
                ("Company trends", sections.company_trends(con, as_of)),
                (f"Scorecards: pace this month (as of {as_of})", sections.scorecards(con, names)),
                ("Quota attainment", sections.quota_attainment(con, month)),
                (f"Leaderboards, {month:%B %Y}", sections.leaderboards(con, month, names)),
                ("Contests", sections.contests(con, names)),
                ("Lead-source quality", sections.lead_sources(con)),
                ("Account managers: book growth", sections.am_books(con)),
                ("Pipeline and forecast", sections.pipeline(con, as_of, names)),
                ("Compensation", sections.compensation(con, month, names)),
            ]
        )
        tv = sections.tv(con, as_of, names)
    subtitle = f"as of {as_of} · latest complete month {month:%B %Y} · published version {version}"
    if not_delivered:
        subtitle += f" · not delivered: {not_delivered} (what they feed is unknown: -)"
    index = pages.page("Sales performance", subtitle, body, style=pages.STYLE)
    (staging / "index.html").write_text(index, encoding="utf-8")
    (staging / "tv.html").write_text(tv, encoding="utf-8")
    replace_folder(staging, out)  # a browser never sees half an old, half a new page
    return Dashboard(out / "index.html", out / "tv.html", month)
