"""The console script: user errors are one line on stderr, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SALESPERF = str(Path(sys.executable).with_name("salesperf"))


def run(*args: str, tmp_path: Path, **extra_env: str) -> subprocess.CompletedProcess:
    env = os.environ | {
        "SALESPERF_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "SALESPERF_LANDING": str(tmp_path / "landing"),
        **extra_env,
    }
    return subprocess.run([SALESPERF, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("load", "/no/such/folder"), "error: extracts path not found: /no/such/folder"),
        (("kpis",), "error: nothing published yet"),
        (("kpis", "--leaderboard", "calls"), "error: --leaderboard needs --role SDR, AE or AM"),
        (("kpis", "--period", "2025-03"), "error: --role and --period go with --leaderboard"),
        (("kpis", "--scorecard", "U1", "--leaderboard", "calls"), "not allowed with argument"),
        (("build",), "error: warehouse"),
        (("generate", "--reps", "abc"), "'abc' is not a number"),
        (("generate", "--format", "xlsx"), "invalid choice: 'xlsx'"),
        (("run", "--as-of", "2025-13-45", "--extracts", "/no/such"), "extracts path not found"),
    ],
)
def test_user_errors_are_one_clear_line(args, message, tmp_path):
    result = run(*args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_an_extract_folder(tmp_path):
    (tmp_path / "file.csv").write_text("a,b\n")
    result = run("load", str(tmp_path / "file.csv"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_an_unknown_engine_is_named(tmp_path):
    result = run("build", tmp_path=tmp_path, SALESPERF_ENGINE="snowflake")
    assert result.returncode == 2
    assert "SALESPERF_ENGINE='snowflake' is not an engine: use one of duckdb, spark" in (
        result.stderr
    )


def test_spark_without_its_environment_says_what_to_install(tmp_path):
    """The default environment has no pyspark (on purpose): the run stops before loading."""
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "teams.csv").write_text("team_id,team_name\nT1,North\n")
    result = run(
        "run", "--extracts", str(tmp_path / "batch"), tmp_path=tmp_path, SALESPERF_ENGINE="spark"
    )
    assert result.returncode == 2, result.stderr
    assert "make spark-install" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_version_and_metrics_help(tmp_path):
    version = run("--version", tmp_path=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("salesperf 0.")
    # help is MetricFlow's, and needs nothing published
    helped = run("metrics", "--help", tmp_path=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "Usage: mf" in helped.stdout and "query" in helped.stdout


def test_mapping_check_on_the_wrong_export_names_the_files_it_expected(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "users.csv").write_text("user_id,full_name\n1,Ann\n")
    result = run("mapping", "check", str(export), "--mapping", "salesforce", tmp_path=tmp_path)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.count("\n") == 0
    assert "none of the files the salesforce mapping reads is in" in line
    assert "Opportunity.csv" in line and "User.csv" in line and "users.csv" in line


@pytest.mark.dbt
def test_a_selection_that_matches_nothing_fails(tmp_path):
    from salesperf.load import load_path

    batch = tmp_path / "b"
    batch.mkdir()
    (batch / "users.csv").write_text("user_id,full_name,role,updated_at\nU1,Ann,SDR,2025-01-01\n")
    load_path(tmp_path / "w.duckdb", batch)
    result = run("build", "--select", "no_such_model", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "--select 'no_such_model' matches no dbt node" in result.stderr


def test_metricflow_errors_become_one_line():
    from salesperf.metrics import mf_error

    output = """ERROR: Got error(s) during query resolution.

Error #1:
  Message:

    The given input does not exactly match any known metrics.

    Suggestions:
      ['win_rate', 'source_win_rate', 'company_win_rate', 'close_rate']

Log File:: /x/logs/metricflow.log
If you think you found a bug, please report it here:
    https://github.com/dbt-labs/metricflow/issues
"""
    assert mf_error(output) == (
        "The given input does not exactly match any known metrics. "
        "(did you mean win_rate, source_win_rate, company_win_rate?)"
    )
