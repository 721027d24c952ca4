"""Write-audit-publish: audited marts become the serving DuckDB file BI tools open.

dbt builds into the working warehouse; the audits (dbt tests, GX mart suites) run
there; only then is a new serving file written beside the old one, flushed to disk and
renamed over it. A rename is atomic, so a reader opens either the old file or the new
one, whole; a reader already holding the old file keeps reading the old version. Each
published version is also kept (hard-linked) under versions/, the newest `keep` of them,
so `rollback` can put the previous one back the same way.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from salesperf.errors import UserError
from salesperf.settings import Settings

SERVING_NAME = "salesperf.duckdb"
KEEP_VERSIONS = 5


@dataclass(frozen=True)
class Publication:
    path: Path
    version: str
    tables: dict[str, int]


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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_in(candidate: Path, target: Path) -> None:
    """Make `candidate` the file at `target` in one atomic step, durably."""
    _fsync(candidate)
    os.replace(candidate, target)
    _fsync(target.parent)


def publish(settings: Settings, *, keep: int = KEEP_VERSIONS, run_id: str = "") -> Publication:
    """Copy every table of the working warehouse's `marts` schema into a new serving file."""
    if not settings.warehouse.exists():
        raise UserError(f"nothing to publish: {settings.warehouse} does not exist")
    folder = serving_dir(settings)
    versions = folder / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    candidate = folder / f".{version}.duckdb.tmp"
    tables: dict[str, int] = {}
    try:
        with duckdb.connect(str(candidate)) as con:
            con.execute(f"attach '{settings.warehouse}' as working (read_only)")
            names = mart_tables(con, "working")
            if not names:
                raise UserError("nothing to publish: the working warehouse has no marts")
            con.execute("create schema marts")
            for name in names:
                con.execute(f"create table marts.{name} as select * from working.marts.{name}")
                tables[name] = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            # the date every mart was computed as of: readers need it even when no mart
            # that carries it (the scorecard needs goals) has a row
            as_of, not_delivered = _as_of_and_undelivered(con)
            con.execute(
                """create table marts._publication as
                select ? as version, ? as run_id, now()::timestamp as published_at,
                       ? as source_warehouse, ?::date as as_of_date,
                       ? as entities_not_delivered""",
                [version, run_id, str(settings.warehouse), as_of, not_delivered],
            )
            con.execute("detach working")
            con.execute("checkpoint")
        os.link(candidate, versions / f"{version}.duckdb")
        _swap_in(candidate, serving_path(settings))
    finally:
        candidate.unlink(missing_ok=True)
        Path(str(candidate) + ".wal").unlink(missing_ok=True)
    for old in sorted(versions.glob("*.duckdb"))[:-keep]:
        old.unlink()
    return Publication(serving_path(settings), version, tables)


def _as_of_and_undelivered(con: duckdb.DuckDBPyConnection) -> tuple[object, str | None]:
    """The as-of date the marts were computed for and the entities never delivered (comma
    separated), from the working warehouse attached as `working`: readers need both even
    when no mart row carries them (no goals, no scorecard rows)."""
    present = {
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'working' "
            "and schema_name = 'intermediate'"
        ).fetchall()
    }
    as_of = None
    if "int_reporting_period" in present:
        as_of = con.execute(
            "select max(as_of_date) from working.intermediate.int_reporting_period"
        ).fetchall()[0][0]
    if "int_crm__deliveries" not in present:
        return as_of, None
    cursor = con.execute("select * from working.intermediate.int_crm__deliveries")
    names = [d[0] for d in cursor.description]
    row = cursor.fetchall()[0]
    missing = [n.removeprefix("has_") for n, ok in zip(names, row, strict=True) if not ok]
    return as_of, ", ".join(missing)


def replace_folder(staging: Path, target: Path) -> None:
    """Put a fully written folder in place of `target`: readers see the old folder or the
    new one, never a mix (two renames; only the instant between them has neither)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def parquet_dir(settings: Settings) -> Path:
    return serving_dir(settings) / "parquet"


def export_parquet(settings: Settings) -> dict[str, Path]:
    """Every published mart as one Parquet file, for tools that read files, not DuckDB."""
    serving = serving_path(settings)
    if not serving.exists():
        raise UserError(f"nothing published yet at {serving}: run `salesperf run` first")
    target = parquet_dir(settings)
    staging = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    files: dict[str, Path] = {}
    with duckdb.connect(str(serving), read_only=True) as con:
        for name in mart_tables(con):
            out = staging / f"{name}.parquet"
            con.execute(f"copy marts.{name} to '{out}' (format parquet, compression zstd)")
            files[name] = target / f"{name}.parquet"
    replace_folder(staging, target)
    return files


def published_versions(settings: Settings) -> list[str]:
    return [p.stem for p in sorted((serving_dir(settings) / "versions").glob("*.duckdb"))]


def current_version(settings: Settings) -> str | None:
    path = serving_path(settings)
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select version from marts._publication").fetchone()[0]


def rollback(settings: Settings) -> str:
    """Serve the version published before the current one again; return its name."""
    current = current_version(settings)
    history = published_versions(settings)
    if current is None or current not in history:
        raise UserError("nothing to roll back: no published version is being served")
    position = history.index(current)
    if position == 0:
        raise UserError(f"nothing to roll back to: {current} is the oldest version kept")
    previous = history[position - 1]
    folder = serving_dir(settings)
    candidate = folder / f".rollback-{previous}.duckdb.tmp"
    candidate.unlink(missing_ok=True)
    os.link(folder / "versions" / f"{previous}.duckdb", candidate)
    _swap_in(candidate, serving_path(settings))
    # the newer version is withdrawn: the next publish supersedes it anyway
    (folder / "versions" / f"{current}.duckdb").unlink()
    return previous


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
