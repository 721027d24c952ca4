"""Where the warehouse's files are and how they are opened, for every stage: the serving
file and its Parquet copy, the marts' table list, an atomic folder swap, and the
read-only connection BI clients get. Kept apart from the publish stage so that the
stages before it (lake export, Spark, the quality gate) need not import it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from salesperf.settings import Settings

SERVING_NAME = "salesperf.duckdb"


def serving_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "serving"


def serving_path(settings: Settings) -> Path:
    return serving_dir(settings) / SERVING_NAME


def mart_tables(con: duckdb.DuckDBPyConnection, database: str | None = None) -> list[str]:
    """The tables of the `marts` schema of `database` (default: the connection's own)."""
    where = "database_name = ?" if database else "database_name = current_database()"
    return [
        r[0]
        for r in con.execute(
            f"select table_name from duckdb_tables() where {where} and schema_name = 'marts' "
            "order by 1",
            [database] if database else [],
        ).fetchall()
    ]


def parquet_dir(settings: Settings) -> Path:
    return serving_dir(settings) / "parquet"


def replace_folder(staging: Path, target: Path) -> None:
    """Put a fully written folder in place of `target`: readers see the old folder or the
    new one, never a mix (two renames; only the instant between them has neither)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


# How a BI client should open the serving file: read-only, no access to local files or
# other databases (ATTACH, COPY, read_csv are file operations), no extension installs,
# and the configuration locked so a query cannot undo any of it.
READ_ONLY_CONFIG = {
    "access_mode": "read_only",
    "enable_external_access": "false",
    "autoload_known_extensions": "false",
    "autoinstall_known_extensions": "false",
    "lock_configuration": "true",
}


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), config=dict(READ_ONLY_CONFIG))


def sqlalchemy_url(path: Path) -> str:
    """The SQLAlchemy URL (duckdb-engine) Superset and other SQLAlchemy tools connect with:
    the same settings as connect_read_only, as query parameters DuckDB applies on open."""
    query = "&".join(f"{k}={v}" for k, v in READ_ONLY_CONFIG.items())
    return f"duckdb:///{path.resolve()}?{query}"
