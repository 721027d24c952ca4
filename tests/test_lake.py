"""The raw layer as Parquet for Spark: every loaded row once, one folder per batch."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import write_batch

from salesperf.errors import UserError
from salesperf.lake import SCHEMA_PARTITION, export_raw
from salesperf.load import load_path

USERS = """
user_id,full_name,email,role,team_id,manager_id,hire_date,termination_date,updated_at
U1,Ann,ann@x.io,SDR,T1,,2024-01-01,,2025-01-01T09:00:00
U2,Bob,bob@x.io,AE,T1,,2024-01-01,,2025-01-01T09:00:00
"""
USERS_LATER = """
user_id,full_name,email,role,team_id,manager_id,hire_date,termination_date,updated_at
U2,Bob,bob@x.io,AM,T1,,2024-01-01,,2025-02-01T09:00:00
U3,Cy,cy@x.io,SDR,T1,,2025-02-01,,2025-02-01T09:00:00
"""


def lake_rows(lake: Path, table: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            f"select _batch_id, user_id, role, updated_at from read_parquet("
            f"'{lake}/{table}/*/*.parquet', hive_partitioning = true) order by all"
        ).fetchall()


def test_each_batch_is_written_once_and_never_rewritten(tmp_path):
    warehouse, lake = tmp_path / "w.duckdb", tmp_path / "lake"
    write_batch(tmp_path / "landing" / "20250101T000000_initial", {"users": USERS})
    load_path(warehouse, tmp_path / "landing")
    first = export_raw(warehouse, lake)
    # 16 tables (14 entities, manifest, quarantine); only users and the manifest have a batch
    assert first == 2
    assert (lake / "users" / f"_batch_id={SCHEMA_PARTITION}").is_dir()
    assert (lake / "_quarantine" / f"batch_id={SCHEMA_PARTITION}").is_dir()
    assert export_raw(warehouse, lake) == 0
    written = (lake / "users" / "_batch_id=20250101T000000_initial" / "data.parquet").stat()

    write_batch(tmp_path / "landing" / "20250201T000000_delta", {"users": USERS_LATER})
    load_path(warehouse, tmp_path / "landing")
    assert export_raw(warehouse, lake) == 2
    again = (lake / "users" / "_batch_id=20250101T000000_initial" / "data.parquet").stat()
    assert again.st_mtime_ns == written.st_mtime_ns
    assert [r[:3] for r in lake_rows(lake, "users")] == [
        ("20250101T000000_initial", "U1", "SDR"),
        ("20250101T000000_initial", "U2", "AE"),
        ("20250201T000000_delta", "U2", "AM"),
        ("20250201T000000_delta", "U3", "SDR"),
    ]


def test_types_spark_can_hold(tmp_path):
    """Timestamps are UTC instants (not TIMESTAMP_NTZ, which a Hive metastore rejects) at
    the same wall-clock time; JSON is text."""
    warehouse, lake = tmp_path / "w.duckdb", tmp_path / "lake"
    write_batch(tmp_path / "landing" / "20250101T000000_initial", {"users": USERS})
    load_path(warehouse, tmp_path / "landing")
    export_raw(warehouse, lake)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        schema = dict(
            con.execute(
                f"select name, coalesce(logical_type, converted_type) "
                f"from parquet_schema('{lake}/users/*/*.parquet') "
                "where name in ('updated_at', '_extra')"
            ).fetchall()
        )
        updated = con.execute(
            f"select min(updated_at) from read_parquet('{lake}/users/*/*.parquet')"
        ).fetchall()[0][0]
    assert "isAdjustedToUTC=1" in schema["updated_at"]
    assert schema["_extra"] == "UTF8"
    assert str(updated).startswith("2025-01-01 09:00:00")


def test_a_missing_warehouse_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="load extracts first"):
        export_raw(tmp_path / "none.duckdb", tmp_path / "lake")
