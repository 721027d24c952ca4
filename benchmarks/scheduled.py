"""The product as a scheduler runs it, measured: `salesperf run` (Dagster's job,
in-process: load, raw gate, dbt build and tests, mart gate, publish, Parquet, dashboard)
on every batch but the last, then the daily refresh when the last batch lands.

Wall time and the peak RSS of the whole process tree (the CLI, dbt and anything they
start), sampled from /proc: `ru_maxrss` reports only the largest single process. Each
step's own time comes from the run's one-line-per-step output; what is left over
("outside") is the process start, imports, Dagster's run setup and the closing report.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
STEP_LINE = re.compile(r"^\s+(\S+)\s+([0-9.]+)s\s+done$")


def tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and all its descendants now. Pages two processes share
    count twice, so this errs high."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return total


def measured(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) of one command; its output goes to `log`."""
    peak = 0
    with log.open("w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.2):
                peak = max(peak, tree_rss_bytes(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = child.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    if code != 0:
        tail = log.read_text().splitlines()[-5:]
        raise SystemExit(f"`{' '.join(command)}` failed (exit {code}): {' | '.join(tail)}")
    return round(seconds, 3), round(peak / 2**20, 1)


def step_times(log: Path, total_s: float) -> str:
    """'step=seconds' for each step the run printed, then what no step accounts for."""
    steps = [
        (m[1], float(m[2])) for line in log.read_text().splitlines() if (m := STEP_LINE.match(line))
    ]
    outside = total_s - sum(seconds for _, seconds in steps)
    return " ".join(f"{name}={seconds:.1f}" for name, seconds in [*steps, ("outside", outside)])


def scheduled_runs(batches: list[Path], work: Path, memory_limit: str) -> dict[str, float]:
    """A full scheduled run on all batches but the last, then the daily refresh."""
    shutil.rmtree(work, ignore_errors=True)
    staged = work / "landing"
    staged.mkdir(parents=True)
    # absolute targets: a relative one (--data given as a relative path) would resolve
    # against the link's own folder and the run would find no batch
    for batch in batches[:-1]:
        (staged / batch.name).symlink_to(batch.resolve())
    env = {
        **os.environ,
        "SALESPERF_WAREHOUSE": str(work / "warehouse.duckdb"),
        "SALESPERF_DUCKDB_MEMORY_LIMIT": memory_limit,
        "SALESPERF_DUCKDB_TEMP_DIR": str(work / "spill"),
        "DAGSTER_HOME": str(work / "dagster"),
    }
    cli = [str(Path(sys.executable).with_name("salesperf")), "run", "--extracts", str(staged)]
    full_s, full_mb = measured(cli, env, work / "full.log")
    (staged / batches[-1].name).symlink_to(batches[-1].resolve())
    refresh_s, refresh_mb = measured(cli, env, work / "refresh.log")
    return {
        "scheduled_full_s": full_s,
        "scheduled_full_rss_mb": full_mb,
        "scheduled_full_steps": step_times(work / "full.log", full_s),
        "scheduled_refresh_s": refresh_s,
        "scheduled_refresh_rss_mb": refresh_mb,
        "scheduled_refresh_steps": step_times(work / "refresh.log", refresh_s),
    }
