"""One run per warehouse, decided up front.

DuckDB lets one process write a file; two runs that race for it fail somewhere in the
middle (seen: both published, and the winner exited 2 on a lock error raised by its own
closing printout). A run takes this lock before it touches anything; a second run
refuses at once in one line naming the holder, or waits for it with --wait.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from salesperf.settings import Settings

# locks this process holds: a run inside a run (the CLI's in-process Dagster job) is one
_held: dict[Path, IO[str]] = {}


class WarehouseBusy(Exception):
    """Another run holds the warehouse: not the user's input, not a data failure."""


def lock_path(settings: Settings) -> Path:
    return Path(f"{settings.warehouse}.lock")


def _acquire(path: Path, wait: bool) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise WarehouseBusy(
            f"another run is using {path.with_suffix('')}: {holder}; "
            "wait for it to finish or run again with --wait"
        ) from None
    handle.seek(0)
    handle.truncate()
    command = " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv[:3]))
    since = datetime.now(UTC).isoformat(timespec="seconds")
    handle.write(f"pid {os.getpid()} ({command}) since {since}\n")
    handle.flush()
    return handle


@contextmanager
def exclusive_run(settings: Settings, *, wait: bool = False) -> Iterator[None]:
    """Hold the warehouse for the block; re-entrant within one process."""
    path = lock_path(settings)
    if path in _held:
        yield
        return
    _held[path] = _acquire(path, wait)
    try:
        yield
    finally:
        handle = _held.pop(path)
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def hold_until_exit(settings: Settings) -> None:
    """For a run Dagster launched in its own process (the sensor, the schedule, the UI):
    hold the warehouse until that process ends. A no-op under `salesperf run`, which holds
    it already."""
    path = lock_path(settings)
    if path not in _held:
        _held[path] = _acquire(path, wait=False)
