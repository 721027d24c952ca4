"""What readers get from a publish, on the hand fixture (tests/hand_fixture.py, as of
2025-02-28): the BI connection through SQLAlchemy, Parquet files, MetricFlow metrics,
dbt's docs site, and the dashboard and TV board rendered by headless Chromium.

Expected numbers are the hand-worked ones of test_kpis_fixture; comments show the sums.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from browser import render
from conftest import ALL_KPI_MARTS

from salesperf.build import generate_docs
from salesperf.dashboard import write_dashboard
from salesperf.metrics import query
from salesperf.publish import export_parquet, publish
from salesperf.settings import Settings
from salesperf.warehouse_io import serving_path, sqlalchemy_url

JAN, FEB = "2025-01-01", "2025-02-01"


@pytest.fixture(scope="module")
def published(hand_built: Settings) -> Settings:
    publish(hand_built)
    return hand_built


# --- BI connection -------------------------------------------------------------------


@pytest.fixture
def engine(published):
    """A SQLAlchemy engine as Superset would make it; disposed so no handle outlives it."""
    engine = sa.create_engine(sqlalchemy_url(serving_path(published)))
    yield engine
    engine.dispose()


def test_a_sqlalchemy_client_reads_the_marts(engine):
    with engine.connect() as con:
        tables = sa.inspect(con).get_table_names(schema="marts")
        revenue = con.execute(
            sa.text("select revenue from marts.kpi_company_monthly where month = :m"),
            {"m": FEB},
        ).scalar_one()
    assert set(ALL_KPI_MARTS) <= set(tables)
    assert revenue == 12000  # O1 10000 + O3 2000 won in February


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("create table marts.x as select 1", "read-only mode"),
        ("delete from marts.kpi_company_monthly", "read-only mode"),
        ("attach '{warehouse}' as working", "file system operations are disabled"),
        ("attach ':memory:' as scratch", "read-only mode"),
        ("select * from read_csv('/etc/hostname')", "file system operations are disabled"),
        ("select * from read_parquet('{parquet}')", "file system operations are disabled"),
        ("copy marts.kpi_company_monthly to '{out}'", "file system operations are disabled"),
        ("set enable_external_access = true", "configuration has been locked"),
        ("set access_mode = 'read_write'", "configuration has been locked"),
        ("load httpfs", "disabled through configuration"),
    ],
)
def test_a_sqlalchemy_client_cannot_write_attach_or_read_files(
    published, engine, tmp_path, statement, refusal
):
    statement = statement.format(
        warehouse=published.warehouse,
        parquet=tmp_path / "any.parquet",
        out=tmp_path / "out.csv",
    )
    with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match=refusal):
        con.execute(sa.text(statement))
    assert not (tmp_path / "out.csv").exists()


def test_every_mart_is_exported_as_parquet(published):
    files = export_parquet(published)
    with duckdb.connect(str(serving_path(published)), read_only=True) as con:
        for name, path in files.items():
            count = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            assert pq.read_metadata(path).num_rows == count, name
    assert set(ALL_KPI_MARTS) <= set(files)
    company = pq.read_table(files["kpi_company_monthly"]).to_pylist()
    feb = next(r for r in company if str(r["month"]) == FEB)
    assert (feb["revenue"], feb["cac"]) == (12000, pytest.approx(5075))


# --- MetricFlow ----------------------------------------------------------------------


def number(text: str) -> float | None:
    return None if text in ("", "None") else float(text)


def test_metricflow_metrics_equal_the_marts(published):
    company = [
        "revenue",
        "company_win_rate",
        "cac",
        "revenue_per_rep",
        "calls_per_rep",
        "opportunity_conversion_rate",
    ]
    rows = query(
        published, company, where="{{ TimeDimension('metric_time', 'month') }} = '2025-02-01'"
    )
    assert len(rows) == 1
    got = {m: number(rows[0][m]) for m in company}
    # Feb: revenue 12000 (O1 10000 + O3 2000), 2 won of 2 closed, cost 3625 and
    # commissions 1450 over 1 new
    # customer, 12000 / 3 quota-carrying reps, 3 calls / 4 active reps, O3 won of O2, O3
    assert got == {
        "revenue": 12000,
        "company_win_rate": 1,
        "cac": pytest.approx(5075),
        "revenue_per_rep": 4000,
        "calls_per_rep": 0.75,
        "opportunity_conversion_rate": 0.5,
    }

    # every month of every company metric equals the mart's column
    columns = {
        "revenue": "revenue",
        "company_win_rate": "win_rate",
        "cac": "cac",
        "revenue_per_rep": "revenue_per_rep",
        "calls_per_rep": "calls_per_rep",
        "opportunity_conversion_rate": "opportunity_conversion_rate",
    }
    by_month = {r["metric_time__month"][:10]: r for r in query(published, company)}
    with duckdb.connect(str(serving_path(published)), read_only=True) as con:
        marts = con.execute(
            f"select month, {', '.join(columns.values())} from marts.kpi_company_monthly"
        ).fetchall()
    assert {str(m[0]) for m in marts} == set(by_month)
    for month, *values in marts:
        for metric, value in zip(columns, values, strict=True):
            got = number(by_month[str(month)][metric])
            assert got == (None if value is None else pytest.approx(float(value))), (month, metric)


def test_pipeline_metrics_add_up_rep_months(published):
    rows = query(published, ["pipeline_created_amount", "expected_count", "slip_rate"])
    by_month = {r["metric_time__month"][:10]: r for r in rows}
    # January: O4 (3000), O5 (unknown) and O1 (10000), all U2's; nothing was expected on
    # 1 Jan. February: O2 (5000 EUR at 1.20 = 6000) and O3 (2000); O1 was expected and
    # was won, not pushed
    assert number(by_month[JAN]["pipeline_created_amount"]) == 13000
    assert number(by_month[JAN]["slip_rate"]) is None
    assert number(by_month[FEB]["pipeline_created_amount"]) == 8000
    assert number(by_month[FEB]["expected_count"]) == 1
    assert number(by_month[FEB]["slip_rate"]) == 0


def test_ratio_metrics_roll_up_from_sums_not_averages(published):
    rows = query(
        published,
        ["win_rate", "close_rate", "deals_won"],
        group_by=["metric_time__quarter", "rep"],
    )
    u2 = next(r for r in rows if r["rep"] == "U2")
    # U2: January 1 won + 1 lost, February 1 won: 2 / 3 (the mean of 0.5 and 1 is 0.75)
    assert number(u2["win_rate"]) == pytest.approx(2 / 3)
    # worked 3 in January + 2 in February (opportunity-months): 2 / 5
    assert number(u2["close_rate"]) == pytest.approx(0.4)
    assert number(u2["deals_won"]) == 2


# --- dbt docs ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_docs_site_documents_every_kpi_mart_and_is_served(published):
    index = generate_docs(published)
    docs = index.parent
    manifest = json.loads((docs / "manifest.json").read_text())
    catalog = json.loads((docs / "catalog.json").read_text())
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    catalogued = {n["metadata"]["name"] for n in catalog["nodes"].values()}
    for mart in ALL_KPI_MARTS:
        assert models[mart]["description"], mart
        assert mart in catalogued, mart  # built, with its columns and row count
        assert f'"model.salesperf.{mart}"' in index.read_text(), mart
    exposures = {e["name"] for e in manifest["exposures"].values()}
    assert {"sales_dashboard", "tv_leaderboard"} <= exposures

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "salesperf_cli", "docs", "--port", str(port)],
        env=os.environ | {"SALESPERF_WAREHOUSE": str(published.warehouse)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the whole group is stopped below
    )
    try:
        body = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/catalog.json") as r:
                    body = r.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.5)
        assert "model.salesperf.kpi_scorecard" in body
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- dashboard in headless Chromium ----------------------------------------------------


def table(dom: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">(.*?)</table>', dom, re.S)
    assert body, f"no table {table_id}"
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]


def charts_drawn(dom: str) -> int:
    """Chart divs Plotly has drawn into (it marks them js-plotly-plot when it plots)."""
    return dom.count('class="plotly-graph-div js-plotly-plot"')


def test_dashboard_and_tv_board_render_the_fixture_month(published, tmp_path):
    pages = write_dashboard(published, tmp_path / "dashboard")
    assert pages.month.isoformat() == FEB  # the latest complete month as of 28 Feb

    dom = render(pages.index, tmp_path / "dashboard.png", "1400,3000")
    tiles = dict(re.findall(r'id="tile-(\w+)">([^<]*)<', dom))
    assert tiles == {
        "revenue": "12,000 USD",
        "win_rate": "100.0%",  # O1 and O3 won, nothing lost
        "new_customers": "1",  # A1
        "cac": "5,075 USD",  # 3000 + 500 EUR x 1.25 + commissions 1450
        "revenue_per_rep": "4,000 USD",  # 12000 / U2, U3, U4
        "calls_per_rep": "0.75",  # C5, C6, C8 over U1-U4
    }
    # against January: revenue was unknown (O5, the only win, has no amount); win rate
    # 1 won (O5) of 2 closed (O4 lost) = 50 %; new customers 1 (A4); CAC (3000 + 1000 +
    # commission 50) / 1 = 4050 -> 5075 is 25.3 % higher; calls per rep 6 (C1-C4, C7, C9)
    # / 4 = 1.5 -> 0.75
    notes = dict(re.findall(r'id="tile-(\w+)-0">([^<]*)<', dom))
    assert notes == {
        "revenue": "last month unknown",
        "win_rate": "▲ 50.0 pts vs last month",
        "new_customers": "= 0.0% vs last month",
        "cac": "▲ 25.3% vs last month",
        "revenue_per_rep": "last month unknown",
        "calls_per_rep": "▼ 50.0% vs last month",
    }
    # G2: O1 won 10000 on 14 Feb against 8000, all 20 business days elapsed
    assert table(dom, "scorecard-ae")[1:] == [
        ["Alex AE", "8,000", "10,000", "125.0%", "8,000", "125.0%"]
    ]
    assert table(dom, "leaderboard-ae")[1] == ["1", "Alex AE", "10,000"]
    # every chart was drawn by the library (a Plotly SVG per chart div)
    # 3 trends, 1 pace (only the AE has a current monthly goal), 2 quota, 3 boards,
    # 1 finished contest, 2 lead-source and 2 AM charts, 4 pipeline charts, 2 pay charts:
    # all drawn
    assert charts_drawn(dom) == 20
    # February's pay, best OTE attainment (year to date) first: U2 1200 of 2000, U1 150
    # of 1000, U3 100 of 1600, U4 50 of 1339.29
    pay = table(dom, "pay-of-month")
    assert [r[0] for r in pay[1:]] == ["Alex AE", "Sam SDR", "Mia AM", "Pat Promoted"]
    assert pay[1] == ["Alex AE", "5,000", "1,200", "6,200", "60.0%"]
    # the pipeline section: O2 has no stage history, so no deal is judged stalled
    assert table(dom, "stalled-deals") == [
        ["deal", "owner", "stage", "days in stage", "stage p75", "amount", "close date"]
    ]

    tv = render(pages.tv, tmp_path / "tv.png", "1920,1080")
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', tv)
    assert "Leaderboard — February 2025" in tv
    assert "version" not in tv.split("<body>", 1)[1].split("<script", 1)[0]  # no build id
    assert table(tv, "tv-leaderboard-ae")[0] == ["1", "Alex AE", "10,000"]
    assert charts_drawn(tv) == 3


def test_rollback_moves_every_reader_together(hand_built, tmp_path, monkeypatch, capsys):
    """A bad number is published (February revenue 12,000 -> 999,999): `salesperf
    rollback` puts the previous version back in the serving file, the Parquet copy and the
    dashboard at once, and the next publish of the same bad data is refused."""
    from salesperf.publish import current_version, published_versions
    from salesperf.settings import load_settings
    from salesperf_cli import main

    shutil.copy(hand_built.warehouse, tmp_path / "w.duckdb")
    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(tmp_path / "w.duckdb"))
    settings = load_settings()
    good = publish(settings)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(f"update marts.kpi_company_monthly set revenue = 999999 where month = '{FEB}'")
    publish(settings)
    export_parquet(settings)
    write_dashboard(settings)
    assert main(["rollback"]) == 0
    assert "Parquet and the dashboard" in capsys.readouterr().err

    assert current_version(settings) == good.version
    parquet = pq.read_table(
        serving_path(settings).parent / "parquet" / "kpi_company_monthly.parquet"
    ).to_pylist()
    assert float({str(r["month"]): r["revenue"] for r in parquet}[FEB]) == 12000.0
    page = (settings.warehouse.parent / "dashboard" / "index.html").read_text()
    assert 'id="tile-revenue">12,000 USD<' in page
    assert good.version in page
    # the same bad data again: not published
    assert publish(settings).skipped
    assert published_versions(settings) == [good.version]


def test_an_unknown_rep_name_suggests_the_closest(published, capsys, monkeypatch):
    from salesperf_cli import main

    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(published.warehouse))
    assert main(["kpis", "--scorecard", "Alex EA"]) == 2
    assert "did you mean 'Alex AE'?" in capsys.readouterr().err


def test_a_rep_s_pipeline_review_prints_from_the_published_marts(published, capsys, monkeypatch):
    from salesperf_cli import main

    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(published.warehouse))
    assert main(["kpis", "--pipeline", "Alex AE"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Pipeline review for Alex AE (U2) as of 2025-02-28")
    # open now: O2, proposal, 5000 EUR at 1.20 = 6000, weighted 0.5
    assert re.search(r"^proposal\s+1\s+6,000\s+3,000$", out, re.M)
    assert re.search(r"^best_case\s+1\s+6,000$", out, re.M)
    # February: quota 8000, booked 10000 (O1), nothing open due in February, quota met
    assert re.search(r"^month 2025-02-01\s+8,000\s+10,000\s+0\s+-\s+1.25$", out, re.M)
    # February's slippage: O1 expected (10000), won, not pushed
    assert re.search(r"^1\s+10,000\s+0\s+0\s+0.0%\s+10,000$", out, re.M)
    assert "Statistical forecast" not in out  # a rep has none: teams and the company do
    assert main(["kpis", "--pipeline", "Pod A"]) == 0
    team = capsys.readouterr().out
    assert team.startswith("Pipeline review for team Pod A (T1)")
    assert "Statistical forecast by month" in team
    assert main(["kpis", "--pipeline", "Alex EA"]) == 2
    assert "did you mean 'Alex AE'?" in capsys.readouterr().err


def test_bi_tools_see_descriptions_and_no_bookkeeping_columns(published):
    """What Metabase or Superset shows when it browses the serving file: every KPI mart
    and its columns described (the dbt docs, as DuckDB comments), and none of the
    pipeline's own columns (_built_at, _loaded_at)."""
    with duckdb.connect(str(serving_path(published)), read_only=True) as con:
        undescribed = con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where schema_name = 'marts' and table_name like 'kpi_%' and comment is null"
        ).fetchall()
        internal = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
            "and column_name in ('_built_at', '_loaded_at')"
        ).fetchall()
        win_rate = con.execute(
            "select comment from duckdb_columns() where table_name = 'kpi_ae_monthly' "
            "and column_name = 'win_rate'"
        ).fetchone()[0]
        table_comment = con.execute(
            "select comment from duckdb_tables() where table_name = 'kpi_company_monthly'"
        ).fetchone()[0]
    assert undescribed == []
    assert internal == []
    assert win_rate == "deals_won / (deals_won + deals_lost)."
    assert table_comment.startswith("One row per month")


def test_connect_prints_a_url_that_a_sqlalchemy_client_opens(published, capsys, monkeypatch):
    from salesperf_cli import main

    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(published.warehouse))
    assert main(["connect"]) == 0
    lines = capsys.readouterr().out.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("SQLAlchemy URL"))
    url = lines[heading + 1].strip()
    assert url == sqlalchemy_url(serving_path(published))
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            revenue = con.execute(
                sa.text("select revenue from marts.kpi_company_monthly where month = :m"),
                {"m": FEB},
            ).scalar_one()
            with pytest.raises(sa.exc.DBAPIError):  # read-only
                con.execute(sa.text("delete from marts.kpi_company_monthly"))
    finally:
        engine.dispose()
    assert float(revenue) == 12000.0  # O1 10,000 + O3 2,000 (test_kpis_fixture)


def test_metrics_print_ordered_plain_numbers_and_one_line_errors(published, capsys, monkeypatch):
    from salesperf_cli import main

    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(published.warehouse))
    args = ["metrics", "query", "--metrics", "revenue", "--group-by", "metric_time__month"]
    assert main(args) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    months = [r[0] for r in rows]
    assert months == sorted(months) and len(months) == 2  # January, February
    assert rows[-1][-1] == "12000"  # February: plain, not 1.2e+04
    assert main(["metrics", "query", "--metrics", "revenu", "--group-by", "metric_time"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "did you mean revenue" in err[0]


MEASURE = """<script>
window.addEventListener('load', function () { setTimeout(function () {
  var de = document.documentElement, shown = [];
  document.querySelectorAll('.tile, .board.active table, .board.active .chart, '
      + '.board.active td.name, section .js-plotly-plot').forEach(function (e) {
    var r = e.getBoundingClientRect();
    shown.push({cls: e.className, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                cut: e.scrollWidth > e.clientWidth + 1});
  });
  document.body.setAttribute('data-layout', JSON.stringify({
    width: innerWidth, height: innerHeight, scrollWidth: de.scrollWidth,
    scrollHeight: de.scrollHeight, shown: shown}));
}, 1500); });
</script>"""


def layout(page: Path, size: str, tmp_path: Path) -> dict:
    """Where the page's elements land in a window of `size`, measured by Chromium."""
    probe = page.with_name(f"measure-{page.name}")
    probe.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    dom = render(probe, tmp_path / f"{page.stem}-{size.replace(',', 'x')}.png", size)
    found = re.search(r'data-layout="([^"]*)"', dom)
    assert found, "the measuring script did not run"
    return json.loads(found.group(1).replace("&quot;", '"'))


def test_the_tv_board_fits_a_1920x1080_screen_and_cuts_no_name(published, tmp_path):
    pages = write_dashboard(published, tmp_path / "dashboard")
    seen = layout(pages.tv, "1920,1080", tmp_path)
    assert seen["scrollHeight"] <= seen["height"] and seen["scrollWidth"] <= seen["width"]
    boxes = seen["shown"]
    assert any(b["cls"] == "chart" for b in boxes)  # the chart beside the table
    for box in boxes:
        assert box["top"] >= 0 and box["bottom"] <= seen["height"], box
        assert box["left"] >= 0 and box["right"] <= seen["width"], box
    names = [b for b in boxes if b["cls"] == "name"]
    assert names and not any(b["cut"] for b in names)


def test_the_dashboard_fits_a_laptop_width(published, tmp_path):
    pages = write_dashboard(published, tmp_path / "dashboard")
    seen = layout(pages.index, "1400,1000", tmp_path)
    assert seen["scrollWidth"] <= seen["width"]  # nothing wider than the window
    tiles = [b for b in seen["shown"] if b["cls"] == "tile"]
    assert len(tiles) == 6
    assert all(b["bottom"] <= seen["height"] for b in tiles)  # the headline is on screen
    charts = [b for b in seen["shown"] if "js-plotly-plot" in b["cls"]]
    assert charts and all(b["right"] <= seen["width"] for b in charts)


def test_a_rep_s_commission_statement_prints_line_by_line(published, capsys, monkeypatch):
    from salesperf_cli import main

    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(published.warehouse))
    assert main(["kpis", "--statement", "Alex AE", "--period", "2025-02"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Commission statement for Alex AE (U2), February 2025")
    # the tier column names the threshold the tier starts at, not the rep's attainment
    assert re.search(r"^#\s+line\s+component\s.*attainment\s+tier from\s+rate\s", out, re.M)
    # O1 (10000, 14 Feb) against a quota of 8000: 8000 at 10 %, the 2000 above at 20 %
    assert re.search(
        r"^1\s+earned\s+bookings\s+O1\s+2025-02-14\s+8,000\s+0%-100%\s+0%\s+10.00%\s+800\s+0\s+0\s+800$",
        out,
        re.M,
    )
    assert re.search(
        r"^2\s+earned\s+bookings\s+O1\s+2025-02-14\s+2,000\s+100%-125%\s+100%\s+20.00%\s+400\s",
        out,
        re.M,
    )
    assert "Pay: base 5,000 + variable 1,200 (earned 1,200, cap 0, clawback 0) = 6,200" in out
    # (0 + 1200) / (1000 + 1000)
    assert "OTE attainment year to date 60.0%" in out
    # U4's February: the handoff H4 (which led to O2) under the SDR plan, 9 of 28 days of
    # base 3000 on it and 19 of 5000 on the AE plan from 10 Feb: 4357.14
    assert main(["kpis", "--statement", "U4", "--period", "2025-02"]) == 0
    promoted = capsys.readouterr().out
    assert re.search(
        r"^1\s+earned\s+accepted_handoffs\s+H4\s+2025-02-02\s+1\s.*50 each\s+50\s", promoted, re.M
    )
    assert "Pay: base 4,357 + variable 50" in promoted
    assert main(["kpis", "--statement", "Pod A", "--period", "2025-02"]) == 2
    assert "--statement is a rep's" in capsys.readouterr().err
    assert main(["kpis", "--statement", "U2", "--period", "2025-13"]) == 2
    assert "--period YYYY-MM" in capsys.readouterr().err


def test_compensation_metrics_add_up_to_the_commission_expense(published):
    rows = query(published, ["variable_pay", "base_pay", "compensation"])
    by_month = {r["metric_time__month"][:10]: r for r in rows}
    # January: 50 for H2; February: 1200 + 100 + 50 + 100 (test_kpis_fixture)
    assert number(by_month[JAN]["variable_pay"]) == 50
    assert number(by_month[FEB]["variable_pay"]) == 1450
    # January's base: U1 3000 + U2 5000 + U3 4000 + U4 3000
    assert number(by_month[JAN]["base_pay"]) == 15000
    assert number(by_month[JAN]["compensation"]) == 15050
