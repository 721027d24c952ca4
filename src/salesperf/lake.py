"""The raw layer as Parquet, for engines that read files (Spark).

The loader validates every delivery into the DuckDB warehouse file (its raw tables, the
manifest and the quarantine are the ledger: received = loaded + quarantined). For Spark
the same rows are written out once per batch, Hive-style:

    <lake>/<table>/_batch_id=<batch>/data.parquet

so a new batch adds a folder and never rewrites an old one. The Spark target registers
each folder as table `raw.<table>` before a run (macro register_raw_tables).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from salesperf.contract import ENTITIES
from salesperf.errors import UserError
from salesperf.load import MANIFEST, QUARANTINE
from salesperf.warehouse_io import replace_folder

# the ledger tables name their batch column batch_id, the entity tables _batch_id
BATCH_COLUMNS = {
    **{entity: "_batch_id" for entity in ENTITIES},
    MANIFEST.removeprefix("raw."): "batch_id",
    QUARANTINE.removeprefix("raw."): "batch_id",
}
# Holds a zero-row file with the table's columns, so Spark can read the schema of an
# entity that was never delivered; no row ever carries this batch id.
SCHEMA_PARTITION = "__schema__"
CASTS = {"JSON": "varchar", "TIMESTAMP": "timestamptz"}


def _select_list(con: duckdb.DuckDBPyConnection, table: str, batch_column: str) -> str:
    """Every column but the partition one. JSON as text (Parquet and Spark have no JSON);
    naive UTC timestamps marked as UTC instants, which Spark reads as its TIMESTAMP
    (unmarked ones become TIMESTAMP_NTZ, which a Hive metastore cannot hold)."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    return ", ".join(
        f'cast("{name}" as {CASTS[kind]}) as "{name}"' if kind in CASTS else f'"{name}"'
        for name, kind in columns
        if name != batch_column
    )


def _write(con: duckdb.DuckDBPyConnection, query: str, params: list, folder: Path) -> None:
    """Write into a sibling folder and rename it into place: a reader never sees half a
    batch, and a run that dies midway leaves nothing that looks exported."""
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    con.execute(f"copy ({query}) to '{partial / 'data.parquet'}' (format parquet)", params)
    replace_folder(partial, folder)


def export_raw(
    database: Path, lake: Path, *, progress: Callable[[str], None] = lambda _: None
) -> int:
    """Write every batch of every raw table that is not in the lake yet; return how many
    table-batches were written. Batches are immutable once loaded, so a folder that
    exists is complete."""
    if not database.exists():
        raise UserError(f"warehouse {database} does not exist: load extracts first")
    written = 0
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")  # the naive timestamps are UTC by contract
        for table, batch_column in BATCH_COLUMNS.items():
            root = lake / table
            select = _select_list(con, table, batch_column)
            if not (root / f"{batch_column}={SCHEMA_PARTITION}").exists():
                _write(
                    con,
                    f"select {select} from raw.{table} limit 0",
                    [],
                    root / f"{batch_column}={SCHEMA_PARTITION}",
                )
            batches = [
                b
                for (b,) in con.execute(
                    f"select distinct {batch_column} from raw.{table} order by 1"
                ).fetchall()
            ]
            new = [b for b in batches if not (root / f"{batch_column}={b}").exists()]
            for batch in new:
                _write(
                    con,
                    f"select {select} from raw.{table} where {batch_column} = ?",
                    [batch],
                    root / f"{batch_column}={batch}",
                )
            written += len(new)
            if new:
                progress(f"lake: {table} +{len(new)} batch(es)")
    return written
