"""Write-audit-publish: audited marts become the serving DuckDB file BI tools open.

dbt builds into the working warehouse; the audits (dbt tests, GX mart suites) run
there; only then is a new serving file written beside the old one, flushed to disk and
renamed over it. A rename is atomic, so a reader opens either the old file or the new
one, whole; a reader already holding the old file keeps reading the old version. Each
published version is also kept (hard-linked) under versions/, the newest `keep` of them,
so `rollback` can put the previous one back the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from salesperf.errors import UserError
from salesperf.settings import Settings
from salesperf.warehouse_io import (
    mart_tables,
    parquet_dir,
    replace_folder,
    serving_dir,
    serving_path,
)

KEEP_VERSIONS = 5


@dataclass(frozen=True)
class Publication:
    path: Path
    version: str
    tables: dict[str, int]
    skipped: bool = False  # the data equal a withdrawn version: nothing was published


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


READ_ONLY_MODE = 0o444
WITHDRAWN = "withdrawn.txt"  # fingerprints of rolled-back versions, one per line
INTERNAL_COLUMNS = ("_built_at", "_loaded_at")  # change every build, say nothing of the data


def _clean_orphans(folder: Path) -> None:
    """Candidates of a publish or rollback that was killed: only one run holds the
    warehouse at a time, so any candidate present now belongs to no live process."""
    for orphan in [*folder.glob(".*.duckdb.tmp"), *folder.glob(".*.duckdb.tmp.wal")]:
        orphan.unlink(missing_ok=True)


def _fingerprint(con: duckdb.DuckDBPyConnection, names: list[str]) -> str:
    """A hash of every mart's rows (internal timestamps left out, row order ignored): the
    same data gives the same fingerprint whenever and however often it is built."""
    parts = []
    for name in names:
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from duckdb_columns() where database_name = "
                "current_database() and schema_name = 'marts' and table_name = ? "
                "order by column_index",
                [name],
            ).fetchall()
            if r[0] not in INTERNAL_COLUMNS
        ]
        packed = ", ".join(f'"{c}"' for c in columns)
        total = con.execute(
            f"select coalesce(sum(hash(struct_pack({packed}))::hugeint), 0) from marts.{name}"
        ).fetchone()[0]
        parts.append(f"{name}:{total}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _reporting_currency(settings: Settings) -> str:
    """The currency every amount is in (dbt var reporting_currency): readers label money."""
    import yaml

    config = yaml.safe_load((settings.project_dir / "dbt_project.yml").read_text())
    return str((config.get("vars") or {}).get("reporting_currency", "USD"))


def _internal_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """When a row was loaded or built: bookkeeping for incremental models, not for BI."""
    return [
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() where database_name = 'working' "
            "and schema_name = 'marts' and table_name = ? order by column_index",
            [name],
        ).fetchall()
        if r[0] in INTERNAL_COLUMNS
    ]


def _describe(con: duckdb.DuckDBPyConnection, names: list[str], manifest: Path) -> None:
    """The dbt descriptions as DuckDB comments, so a BI tool browsing the serving file
    (Metabase, Superset, DBeaver) shows what each table and column means."""
    if not manifest.exists():
        return
    import json

    models = {
        n["name"]: n
        for n in json.loads(manifest.read_text())["nodes"].values()
        if n["resource_type"] == "model"
    }
    present = {
        (t, c)
        for t, c in con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and schema_name = 'marts'"
        ).fetchall()
    }

    def text(value: str) -> str:
        return "'" + " ".join(value.split()).replace("'", "''") + "'"

    for name in names:
        model = models.get(name)
        if model is None:
            continue
        if model.get("description"):
            con.execute(f"comment on table marts.{name} is {text(model['description'])}")
        for column, spec in model.get("columns", {}).items():
            if spec.get("description") and (name, column) in present:
                con.execute(
                    f'comment on column marts.{name}."{column}" is {text(spec["description"])}'
                )


def withdrawn(settings: Settings) -> set[str]:
    path = serving_dir(settings) / WITHDRAWN
    return set(path.read_text().split()) if path.exists() else set()


def publish(settings: Settings, *, keep: int = KEEP_VERSIONS, run_id: str = "") -> Publication:
    """Copy every table of the built marts (`Settings.marts_source`: the working
    warehouse, or Spark's exported copy) into a new serving file.

    The serving file and each kept version are separate, read-only files (a client that
    forgets read_only cannot change them, nor one through the other). Marts whose data
    equal a version that was rolled back are not published again: the current version
    stays, and the Publication says so (`skipped`)."""
    source = settings.marts_source
    if not source.exists():
        raise UserError(f"nothing to publish: {source} does not exist")
    folder = serving_dir(settings)
    versions = folder / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    _clean_orphans(folder)
    now = datetime.now(UTC)
    version = now.strftime("%Y%m%dT%H%M%S%fZ")
    candidate = folder / f".{version}.duckdb.tmp"
    tables: dict[str, int] = {}
    try:
        with duckdb.connect(str(candidate)) as con:
            con.execute(f"attach '{source}' as working (read_only)")
            names = mart_tables(con, "working")
            if not names:
                raise UserError("nothing to publish: the working warehouse has no marts")
            con.execute("create schema marts")
            for name in names:
                internal = _internal_columns(con, name)
                dropped = f" exclude ({', '.join(internal)})" if internal else ""
                con.execute(
                    f"create table marts.{name} as select *{dropped} from working.marts.{name}"
                )
                tables[name] = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            _describe(con, names, settings.project_dir / "target" / "manifest.json")
            fingerprint = _fingerprint(con, names)
            if fingerprint in withdrawn(settings) and serving_path(settings).exists():
                return Publication(
                    serving_path(settings), current_version(settings) or "", tables, True
                )
            # the date every mart was computed as of: readers need it even when no mart
            # that carries it (the scorecard needs goals) has a row
            as_of, not_delivered = _as_of_and_undelivered(con)
            con.execute(
                """create table marts._publication as
                select ? as version, ? as run_id, ?::timestamp as published_at,
                       ? as source_warehouse, ?::date as as_of_date,
                       ? as entities_not_delivered, ? as fingerprint,
                       ? as reporting_currency""",
                [
                    version,
                    run_id,
                    now.replace(tzinfo=None),  # UTC, whatever the machine's zone
                    str(source),
                    as_of,
                    not_delivered,
                    fingerprint,
                    _reporting_currency(settings),
                ],
            )
            con.execute("detach working")
            con.execute("checkpoint")
        kept = versions / f"{version}.duckdb"
        shutil.copyfile(candidate, kept)
        kept.chmod(READ_ONLY_MODE)
        candidate.chmod(READ_ONLY_MODE)
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
    """Serve the version published before the current one again; return its name. The
    withdrawn version's data are remembered, so the next run does not publish them again
    unless they changed. Readers made from the serving file (Parquet, dashboard) follow:
    see rollback_everywhere."""
    current = current_version(settings)
    history = published_versions(settings)
    if current is None or current not in history:
        raise UserError("nothing to roll back: no published version is being served")
    position = history.index(current)
    if position == 0:
        raise UserError(f"nothing to roll back to: {current} is the oldest version kept")
    previous = history[position - 1]
    folder = serving_dir(settings)
    _clean_orphans(folder)
    with duckdb.connect(str(serving_path(settings)), read_only=True) as con:
        columns = {
            r[0]
            for r in con.execute(
                "select column_name from duckdb_columns() where table_name = '_publication'"
            ).fetchall()
        }
        fingerprint = (
            con.execute("select fingerprint from marts._publication").fetchone()[0]
            if "fingerprint" in columns
            else None
        )
    candidate = folder / f".rollback-{previous}.duckdb.tmp"
    shutil.copyfile(folder / "versions" / f"{previous}.duckdb", candidate)
    candidate.chmod(READ_ONLY_MODE)
    _swap_in(candidate, serving_path(settings))
    if fingerprint:
        with (folder / WITHDRAWN).open("a") as fh:
            fh.write(fingerprint + "\n")
    # the newer version is withdrawn
    (folder / "versions" / f"{current}.duckdb").unlink()
    return previous
