"""The console script: user errors are one line on stderr, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SALESPERF = str(Path(sys.executable).with_name("salesperf"))


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = os.environ | {
        "SALESPERF_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "SALESPERF_LANDING": str(tmp_path / "landing"),
    }
    return subprocess.run([SALESPERF, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("load", "/no/such/folder"), "error: extracts path not found: /no/such/folder"),
        (("kpis",), "error: warehouse"),
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
