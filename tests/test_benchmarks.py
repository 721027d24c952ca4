"""The benchmark's smoke run at a tiny scale: the baselines agree with the warehouse and
the results are written. No timing is asserted here (that is the benchmark's job)."""

from __future__ import annotations

import csv
import os
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
    # the scheduled measurement is two more `salesperf run`s, which other tests already
    # make; its own arithmetic is checked by the fast tests below
    command.append("--skip-scheduled")
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
    assert row["scheduled_full_s"] == "" and float(row["raw_gate_over_load"]) > 0
    assert (results / "stage_times.png").stat().st_size > 10_000
    text = readme.read_text()
    assert "| tiny |" in text and "old" not in text and text.endswith("tail\n")
    assert "What a scheduled run costs" in text and text.count("| tiny |") == 1
    assert not (tmp_path / "work" / "tiny").exists()  # warehouses are cleaned up


def test_a_measured_command_counts_its_whole_process_tree_and_each_step(tmp_path):
    """A parent that starts a child holding 300 MB: the tree's peak covers the child,
    which ru_maxrss of the parent would not; the step lines and `outside` add up."""
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from scheduled import measured, step_times

    child = "b = bytearray(300 * 2**20); import time; time.sleep(1.5)"
    parent = (
        "import subprocess, sys\n"
        "print('  raw_extracts   0.5s  done')\n"
        f"subprocess.run([sys.executable, '-c', {child!r}], check=True)\n"
        "print('  dbt_models     1.0s  done')\n"
    )
    log = tmp_path / "run.log"
    seconds, peak_mb = measured([sys.executable, "-c", parent], dict(os.environ), log)
    assert seconds >= 1.5 and peak_mb >= 300
    steps = dict(part.split("=") for part in step_times(log, 4.0).split())
    assert steps == {"raw_extracts": "0.5", "dbt_models": "1.0", "outside": "2.5"}
    with pytest.raises(SystemExit, match="exit 3"):
        measured([sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ), log)


def test_the_readme_table_shows_what_a_scheduled_run_costs(tmp_path):
    """One results row worked by hand: full run 120 s against B1 10 s (12.00x), refresh
    30 s (25.0 %), publish 6 s of 120 s (5.0 %), 2,048 MB = 2.00 GB. A newer row run with
    --skip-scheduled replaces the main table's figures, not the scheduled ones."""
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from run import FIELDS, readme_table

    row = dict.fromkeys(FIELDS, "")
    row |= {
        "run_at": "2026-12-04T10:00:00+00:00",
        "scale": "M", "activities": "1000", "load_s": "4", "mart_quality_s": "2",
        "publish_s": "6", "peak_rss_mb": "1024", "duckdb_file_mb": "512", "b1_s": "10",
        "scheduled_full_s": "120", "scheduled_over_b1": "12", "scheduled_full_rss_mb": "2048",
        "scheduled_refresh_s": "30", "refresh_over_scheduled": "0.25",
        "scheduled_refresh_rss_mb": "1024", "raw_gate_over_load": "0.5",
        "scheduled_full_steps": "raw_extracts=10.0 outside=110.0",
        "scheduled_refresh_steps": "raw_extracts=3.0 outside=27.0",
        "cpus": "2", "memory_gb": "24", "memory_limit": "4GB",
    }  # fmt: skip
    results = tmp_path / "results.csv"
    with results.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        writer.writerow(row)
        newer = dict.fromkeys(FIELDS, "") | {
            k: row[k] for k in ("scale", "mart_quality_s", "peak_rss_mb", "duckdb_file_mb")
        }
        writer.writerow(newer | {"run_at": "2026-12-05T10:00:00+00:00", "activities": "2000"})
    readme = tmp_path / "README.md"
    readme.write_text("<!-- results:start -->\n<!-- results:end -->\n")
    readme_table(results, readme)
    text = readme.read_text()
    assert "| M | 120.0 s | 12.00x | 2.00 GB | 30.0 s | 25.0% | 1.00 GB | 0.50x | 5.0% |" in text
    assert (
        "- M (2026-12-04), full: `raw_extracts=10.0 outside=110.0`; refresh: `raw_extracts=3.0"
        in text
    )
    assert "| M | 2,000 |" in text  # the main table is the newer run's
