"""Faults: a process killed mid-build or mid-publish, two runs at once. Readers of the
serving file never see a half-done version, and the next run recovers."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from test_determinism import mart_hashes

from salesperf.generate import GeneratorConfig, generate

SALESPERF = str(Path(sys.executable).with_name("salesperf"))
SMALL = GeneratorConfig(seed=9, reps=10, months=2, delta_days=2)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def env_for(root: Path) -> dict[str, str]:
    return os.environ | {
        "SALESPERF_WAREHOUSE": str(root / "warehouse" / "w.duckdb"),
        "DAGSTER_HOME": str(root / "dagster"),
    }


def salesperf_run(root: Path, landing: Path, *flags: str) -> subprocess.Popen:
    """Start `salesperf run`; its output goes to files (a full pipe would stall it)."""
    root.mkdir(parents=True, exist_ok=True)
    log = (root / f"run-{time.monotonic_ns()}.log").open("w+")
    process = subprocess.Popen(
        [SALESPERF, "run", "--extracts", str(landing), *flags],
        env=env_for(root),
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,  # so the whole group (dbt included) can be killed
    )
    process.log = log  # type: ignore[attr-defined]
    return process


def stderr_of(process: subprocess.Popen) -> str:
    process.log.seek(0)  # type: ignore[attr-defined]
    return process.log.read()  # type: ignore[attr-defined]


def serving(root: Path) -> Path:
    return root / "warehouse" / "serving" / "salesperf.duckdb"


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("faults") / "landing"
    generate(SMALL, out)
    return out


@pytest.fixture(scope="module")
def ran_once(landing, tmp_path_factory) -> Path:
    """One completed `salesperf run` on the landing: each test below starts from a copy of
    its warehouse, Dagster home and serving file, as a machine that ran yesterday does."""
    root = tmp_path_factory.mktemp("ran_once")
    first = salesperf_run(root, landing)
    assert first.wait(timeout=600) == 0, stderr_of(first)[-2000:]
    return root


def copy_of(ran_once: Path, root: Path) -> Path:
    shutil.copytree(ran_once, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.log"))
    return root


@pytest.mark.e2e
def test_sigkill_during_dbt_build_keeps_the_published_version_and_recovers(
    landing, ran_once, tmp_path
):
    copy_of(ran_once, tmp_path)
    published = digest(serving(tmp_path))

    victim = salesperf_run(tmp_path, landing)
    deadline = time.monotonic() + 300
    # wait until dbt itself is running in the victim's process group, then kill it all
    while not _dbt_build_running_in(victim.pid):
        assert victim.poll() is None, "the run ended before dbt started"
        assert time.monotonic() < deadline
        time.sleep(0.2)
    time.sleep(2)  # well into the build
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=60)

    assert digest(serving(tmp_path)) == published  # byte for byte
    with duckdb.connect(str(serving(tmp_path)), read_only=True) as con:
        assert con.execute("select count(*) from marts.kpi_company_monthly").fetchone()[0] > 0

    again = salesperf_run(tmp_path, landing)
    assert again.wait(timeout=600) == 0, stderr_of(again)[-2000:]
    # the recovered marts equal those of the run that was never interrupted
    assert mart_hashes(tmp_path / "warehouse" / "w.duckdb") == mart_hashes(
        ran_once / "warehouse" / "w.duckdb"
    )


def _dbt_build_running_in(group: int) -> bool:
    """Is a `dbt build` process (its program, not just any argument) in this group?"""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            in_group = os.getpgid(int(proc.name)) == group
        except (OSError, ProcessLookupError):
            continue
        programs = [Path(a.decode(errors="replace")).name for a in args[:2]]
        if in_group and "dbt" in programs and b"build" in args:
            return True
    return False


PUBLISHER = """
import sys
from salesperf.publish import publish
from salesperf.settings import load_settings
while True:
    publish(load_settings(), keep=3)
"""


@pytest.mark.e2e
def test_sigkill_during_publish_never_leaves_a_broken_serving_file(ran_once, tmp_path):
    copy_of(ran_once, tmp_path)
    for delay in (0.05, 0.15, 0.3, 0.5, 0.8, 1.3):
        publisher = subprocess.Popen(
            [sys.executable, "-c", PUBLISHER], env=env_for(tmp_path), start_new_session=True
        )
        time.sleep(delay)
        os.killpg(publisher.pid, signal.SIGKILL)
        publisher.wait(timeout=30)
        # whatever moment it died at, the serving file is one whole published version
        with duckdb.connect(str(serving(tmp_path)), read_only=True) as con:
            version = con.execute("select version from marts._publication").fetchone()[0]
            rows = con.execute("select count(*) from marts.kpi_company_monthly").fetchone()[0]
        assert rows == 2
        kept = serving(tmp_path).parent / "versions" / f"{version}.duckdb"
        assert kept.exists() and digest(kept) == digest(serving(tmp_path))


@pytest.mark.e2e
def test_two_runs_at_once_do_not_corrupt_anything(landing, ran_once, tmp_path):
    """One run per warehouse, decided up front: while the first holds it, a second
    refuses at once with one line naming the holder (exit 1: not a user error), and a
    third with --wait runs after the first. The first succeeds and exits 0."""
    copy_of(ran_once, tmp_path)
    first = salesperf_run(tmp_path, landing)
    lock = tmp_path / "warehouse" / "w.duckdb.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text().strip()):
        assert first.poll() is None, stderr_of(first)[-2000:]
        assert time.monotonic() < deadline, "the first run never took the warehouse"
        time.sleep(0.2)
    second = salesperf_run(tmp_path, landing)
    assert second.wait(timeout=120) == 1
    refusal = stderr_of(second).strip().splitlines()
    assert len(refusal) == 1, refusal
    assert refusal[0].startswith("error: another run is using")
    assert f"pid {first.pid} (salesperf run" in refusal[0]
    waiting = salesperf_run(tmp_path, landing, "--wait")
    assert first.wait(timeout=900) == 0, stderr_of(first)[-2000:]
    assert waiting.wait(timeout=900) == 0, stderr_of(waiting)[-2000:]
    assert not lock.read_text().strip()  # released: nobody holds it now
    with duckdb.connect(str(serving(tmp_path)), read_only=True) as con:
        assert con.execute("select count(*) from marts.kpi_company_monthly").fetchone() == (2,)
