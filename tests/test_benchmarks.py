"""The benchmark's smoke run at a tiny scale: the baselines agree with the warehouse and
the results are written. No timing is asserted here (that is the benchmark's job)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_tiny_benchmark_baselines_equal_the_warehouse(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# b\n<!-- results:start -->\nold\n<!-- results:end -->\ntail\n")
    results = tmp_path / "results"
    command = [sys.executable, str(PROJECT / "benchmarks" / "run.py"), "--scale", "tiny"]
    command += ["--data", str(tmp_path / "data"), "--work", str(tmp_path / "work")]
    command += ["--results", str(results), "--readme", str(readme), "--skip-incremental"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]

    rows = list(csv.DictReader((results / "results.csv").open()))
    assert len(rows) == 1
    row = rows[0]
    # equal, so the timings count: B1 and B2 reproduced the three marts from the files
    assert (row["b1_equal"], row["b2_equal"], row["notes"]) == ("True", "True", "")
    assert int(row["activities"]) > 50_000 and row["rows_quarantined"] == "0"
    assert row["marts_pass"] == "True"
    for column in ("pipeline_s", "b1_s", "b2_s", "pipeline_over_b1", "peak_rss_mb"):
        assert float(row[column]) > 0, column
    # the product as scheduled: `salesperf run` on all batches but the last, then the
    # daily refresh; the tree's memory is at least that of the CLI's Python process
    for column in ("scheduled_full_s", "scheduled_refresh_s", "scheduled_over_b1"):
        assert float(row[column]) > 0, column
    assert float(row["scheduled_full_rss_mb"]) > 100 and float(row["raw_gate_over_load"]) > 0
    # each step's time, then what no step accounts for, adding up to the run's wall time
    steps = dict(part.split("=") for part in row["scheduled_full_steps"].split())
    names = [*steps]
    assert (names[0], names[-1]) == ("raw_extracts", "outside")
    assert {"dbt_models", "gx_mart_suites", "serving__salesperf"} <= set(steps)
    assert sum(map(float, steps.values())) == pytest.approx(float(row["scheduled_full_s"]), abs=0.2)
    assert (results / "stage_times.png").stat().st_size > 10_000
    text = readme.read_text()
    assert "| tiny |" in text and "old" not in text and text.endswith("tail\n")
    assert "What a scheduled run costs" in text and text.count("| tiny |") == 2
    assert not (tmp_path / "work" / "tiny").exists()  # warehouses are cleaned up
