"""One run of the whole pipeline on a small generated dataset, through the CLI entry point."""

from __future__ import annotations

import duckdb
import pytest
from conftest import KPI_MARTS, PERFORMANCE_MARTS

from salesperf.generate import GeneratorConfig, generate
from salesperf_cli import main


@pytest.mark.e2e
def test_run_builds_every_mart_for_every_month(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(tmp_path / "w.duckdb"))
    landing = tmp_path / "landing"
    generate(GeneratorConfig(seed=11, reps=20, months=3, delta_days=2), landing)

    assert main(["run", "--extracts", str(landing)]) == 0
    out = capsys.readouterr()
    assert "Company KPIs for 2025-03" in out.out
    assert "Top AEs by bookings_amount" in out.out
    assert "error:" not in out.err

    # a leaderboard and a scorecard, read from the marts
    assert main(["kpis", "--leaderboard", "calls", "--role", "SDR", "--period", "2025-02"]) == 0
    board = capsys.readouterr().out
    assert "SDR rep leaderboard: calls, month of 2025-02-01" in board
    assert "SDR team leaderboard" in board
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        ae = con.execute(
            "select scope_id from marts.kpi_scorecard where scope = 'user' "
            "and metric = 'bookings_amount' order by scope_id limit 1"
        ).fetchone()[0]
    assert main(["kpis", "--scorecard", ae]) == 0
    card = capsys.readouterr().out
    assert f"({ae}, " in card and "bookings_amount" in card and "meetings" in card
    assert main(["kpis", "--leaderboard", "smiles", "--role", "AE"]) == 2
    assert "AE leaderboards rank" in capsys.readouterr().err
    assert main(["kpis", "--leaderboard", "calls", "--role", "AE", "--period", "2025-W60"]) == 2
    assert "use YYYY-MM, YYYY-Qn or YYYY-Www" in capsys.readouterr().err

    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        months = {
            r[0] for r in con.execute("select month_start from intermediate.int_months").fetchall()
        }
        assert len(months) == 3
        for mart in KPI_MARTS:
            got = {r[0] for r in con.execute(f"select distinct month from marts.{mart}").fetchall()}
            assert got == months, mart
        for mart in PERFORMANCE_MARTS:
            assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0, mart
        # received = loaded + quarantined, for every file
        assert con.execute(
            "select count(*) from raw._load_manifest "
            "where rows_received != rows_loaded + rows_quarantined"
        ).fetchone() == (0,)
        raw_rows = con.execute("select count(*) from raw.activities").fetchone()[0]
        revenue = con.execute("select sum(revenue) from marts.kpi_company_monthly").fetchone()

    # a second run on the same extracts loads nothing new and reproduces the numbers
    assert main(["run", "--extracts", str(landing)]) == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.activities").fetchone()[0] == raw_rows
        assert (
            con.execute("select sum(revenue) from marts.kpi_company_monthly").fetchone() == revenue
        )
