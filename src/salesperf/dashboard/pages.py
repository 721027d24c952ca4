"""How the dashboard is laid out: HTML for tables, tiles, panels and the two pages
(the dashboard and the office-TV board), from values already read and charts already
drawn."""

from __future__ import annotations

import html
from datetime import date

TV_REFRESH_SECONDS = 300  # the TV page reloads itself; a publish shows within 5 minutes
TV_ROTATE_SECONDS = 20  # one role's board at a time, large enough to read across a room


def table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def grid(parts: list[str]) -> str:
    return '<div class="grid">' + "".join(parts) + "</div>"


def change(now: object, before: object, kind: str) -> str:
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


def tile(name: str, value: str, notes: list[str]) -> str:
    label = name.replace("_", " ")
    return (
        f'<div class="tile"><div class="label">{label}</div>'
        f'<div class="value" id="tile-{name}">{html.escape(value)}</div>'
        + "".join(
            f'<div class="note" id="tile-{name}-{i}">{html.escape(n)}</div>'
            for i, n in enumerate(notes)
        )
        + "</div>"
    )


def tiles(parts: list[str]) -> str:
    return '<div class="tiles">' + "".join(parts) + "</div>"


def sections(titled: list[tuple[str, str]]) -> str:
    return "".join(
        f'<section id="section-{i}"><h2>{html.escape(title)}</h2>{content}</section>'
        for i, (title, content) in enumerate(titled)
    )


def tv_board(
    number: int, role: str, metric: str, rows: list[tuple[str, str, str]], chart: str
) -> str:
    """One role's board: (rank, name, value) rows beside its chart; the first is shown."""
    lines = "".join(
        f'<tr><td class="rank">{rank}</td>'
        f'<td class="name">{html.escape(name)}</td>'
        f'<td class="value">{value}</td></tr>'
        for rank, name, value in rows
    )
    active = " active" if number == 0 else ""
    return (
        f'<div class="board{active}" id="tv-board-{role.lower()}">'
        f"<h2>{role}: {metric.replace('_', ' ')} this month</h2>"
        f'<table id="tv-leaderboard-{role.lower()}">{lines}</table>'
        f'<div class="chart">{chart}</div></div>'
    )


def tv_page(boards: list[str], month: date, as_of: date) -> str:
    """The boards, one at a time, rotating and reloading themselves."""
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
    return page(
        f"Leaderboard — {month:%B %Y}",
        f"as of {as_of:%d %B %Y}",  # the sales floor needs the date, not a build id
        "".join(boards) + rotate,
        style=TV_STYLE,
        head=head,
    )


def page(title: str, subtitle: str, body: str, *, style: str, head: str = "") -> str:
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
