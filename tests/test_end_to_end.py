"""One run of the whole pipeline on a small generated dataset, through the CLI entry point."""

from __future__ import annotations

import duckdb
import pytest
from conftest import KPI_MARTS

from salesperf.cli import main
from salesperf.generate import GeneratorConfig, generate


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

    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        months = {
            r[0] for r in con.execute("select month_start from intermediate.int_months").fetchall()
        }
        assert len(months) == 3
        for mart in KPI_MARTS:
            got = {r[0] for r in con.execute(f"select distinct month from marts.{mart}").fetchall()}
            assert got == months, mart
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
