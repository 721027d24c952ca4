"""The same extracts give identical marts, whatever the machine's time zone."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import write_batch
from hand_fixture import FIXTURE

SALESPERF = str(Path(sys.executable).with_name("salesperf"))


def mart_hashes(warehouse: Path) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        return {
            t: hashlib.sha256(
                repr(sorted(con.execute(_select(con, t)).fetchall(), key=repr)).encode()
            ).hexdigest()
            for t in tables
        }


def _select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    columns = {r[0] for r in con.execute(f"describe marts.{table}").fetchall()}
    # when the load and the build ran: lineage, the only columns allowed to differ
    lineage = ", ".join(c for c in ("_loaded_at", "_built_at") if c in columns)
    return f"select * {f'exclude ({lineage})' if lineage else ''} from marts.{table}"


@pytest.mark.e2e
def test_same_extracts_same_marts_under_two_time_zones(tmp_path):
    landing = write_batch(tmp_path / "landing" / "20250301T000000_full", FIXTURE)
    hashes = []
    for tz in ("UTC", "Asia/Seoul"):
        warehouse = tmp_path / tz.replace("/", "_") / "w.duckdb"
        env = os.environ | {"TZ": tz, "SALESPERF_WAREHOUSE": str(warehouse)}
        for args in (("load", str(landing)), ("build", "--as-of", "2025-02-28")):
            done = subprocess.run(
                [SALESPERF, *args], env=env, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, done.stderr[-2000:]
        hashes.append(mart_hashes(warehouse))
    assert len(hashes[0]) >= 16
    assert hashes[0] == hashes[1]
