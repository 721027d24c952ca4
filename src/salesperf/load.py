"""Landing batches -> append-only raw.<entity> tables, by the rules of extracts.md.

Every row of every file ends in exactly one place: raw.<entity> (it met the contract)
or raw._quarantine (with the reason it did not). raw._load_manifest records, per file,
its content hash and the counts, so received = loaded + quarantined can be audited.
A batch is one DuckDB transaction: a crash mid-batch leaves nothing of it behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from salesperf.contract import (
    BATCH_COMPLETE_MARKER,
    ENTITIES,
    FILE_SUFFIXES,
    SQL_TYPES,
    Column,
    Entity,
)
from salesperf.errors import UserError

MANIFEST = "raw._load_manifest"
QUARANTINE = "raw._quarantine"
LINEAGE_COLUMNS = (
    ("_extra", "JSON"),
    ("_batch_id", "VARCHAR"),
    ("_source_file", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_loaded_at", "TIMESTAMP"),
)


@dataclass
class FileResult:
    entity: str
    source_file: str
    status: str  # loaded | rejected | skipped (already loaded)
    received: int = 0
    loaded: int = 0
    quarantined: int = 0
    message: str = ""


@dataclass
class BatchResult:
    batch_id: str
    files: list[FileResult] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)


def q(identifier: str) -> str:
    """Quote an identifier that came from a file header."""
    return '"' + identifier.replace('"', '""') + '"'


def lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw table, the manifest and the quarantine (empty) if missing.

    Tables exist for entities never delivered so dbt can always build; whether an
    entity was delivered is read from the manifest, not from the table being there.
    """
    con.execute("create schema if not exists raw")
    for entity in ENTITIES.values():
        cols = [f"{q(c.name)} {SQL_TYPES[c.type]}" for c in entity.all_columns]
        cols += [f"{name} {typ}" for name, typ in LINEAGE_COLUMNS]
        con.execute(f"create table if not exists raw.{entity.name} ({', '.join(cols)})")
    con.execute(
        f"""create table if not exists {MANIFEST} (
            batch_id varchar, entity varchar, source_file varchar, file_hash varchar,
            rows_received bigint, rows_loaded bigint, rows_quarantined bigint,
            status varchar, message varchar, loaded_at timestamp)"""
    )
    con.execute(
        f"""create table if not exists {QUARANTINE} (
            batch_id varchar, entity varchar, source_file varchar, row_number bigint,
            reason varchar, record json, quarantined_at timestamp)"""
    )


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def batch_files(batch_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in batch_dir.iterdir()
        if p.is_file() and p.suffix.lower() in FILE_SUFFIXES and not p.name.startswith(".")
    )


def complete_batches(root: Path) -> list[Path]:
    """Batch folders under `root` (itself, a child, or a grandchild: one folder per source)
    that hold the completion marker, in delivery (name) order."""
    candidates = [root, *root.glob("*/"), *root.glob("*/*/")]
    found = [p for p in candidates if p.is_dir() and (p / BATCH_COMPLETE_MARKER).exists()]
    return sorted(found, key=lambda p: (p.name, str(p)))


def find_batches(path: Path) -> list[Path]:
    """A folder of extract files is one batch; otherwise every complete batch below it.

    Batches load in name order, which is delivery order (the generator and the
    documented convention prefix batch names with a sortable timestamp).
    """
    if not path.exists():
        raise UserError(f"extracts path not found: {path}")
    if not path.is_dir():
        raise UserError(f"extracts path is not a folder: {path} (give a batch folder)")
    if batch_files(path):
        return [path]
    complete = complete_batches(path)
    if not complete:
        raise UserError(
            f"no batch found in {path}: expected .csv/.parquet extract files, or batch "
            f"subfolders each holding a {BATCH_COMPLETE_MARKER} marker"
        )
    return complete


def _read_sql(path: Path) -> str:
    """The file as a relation with _rn, its row number (ties between versions of a record
    with the same updated_at go to the later row). CSV is read as text and checked value by
    value; Parquet keeps its column types, so typed columns skip a text round trip."""
    if path.suffix.lower() == ".parquet":
        return (
            "select file_row_number + 1 as _rn, * exclude (file_row_number) "
            f"from read_parquet({lit(str(path))}, file_row_number = true)"
        )
    return (
        "select row_number() over () as _rn, * "
        f"from read_csv({lit(str(path))}, all_varchar = true, header = true, "
        "store_rejects = true, rejects_scan = '_csv_scan', rejects_table = '_csv_errors')"
    )


# a file's column type that already is the stored type: no cast needed
_NATIVE = {
    "int": ("BIGINT", "INTEGER", "SMALLINT", "TINYINT"),
    "money": ("DECIMAL(18,2)",),
    "rate": ("DOUBLE",),
    "bool": ("BOOLEAN",),
    "date": ("DATE",),
    "timestamp": ("TIMESTAMP",),
}


def _is_text(col: Column) -> bool:
    return col.type in ("id", "text") or bool(col.enum) or col.case is not None


def _typed(col: Column, value: str, source_type: str = "VARCHAR") -> str:
    """SQL giving the value in the column's stored type (NULL when it cannot be)."""
    if source_type in _NATIVE.get(col.type, ()):
        return value
    if col.type == "timestamp":
        # an offset is honoured, an offset-less value is UTC (the session's zone)
        return f"try_cast({value} as timestamptz)::timestamp"
    return f"try_cast({value} as {SQL_TYPES[col.type]})"


def _normalised(col: Column, source_types: dict[str, str]) -> str:
    """The delivered value: text trimmed, '' as NULL, case folded; typed Parquet as is."""
    if col.name not in source_types:
        return "null::varchar"
    source_type = source_types[col.name]
    if source_type != "VARCHAR" and not _is_text(col):
        return q(col.name)
    text = q(col.name) if source_type == "VARCHAR" else f"{q(col.name)}::varchar"
    value = f"nullif(trim({text}), '')"
    if col.case == "lower":
        value = f"lower({value})"
    elif col.case == "upper":
        value = f"upper({value})"
    return value


def _checks(entity: Entity) -> list[str]:
    """One SQL expression per contract rule, each NULL or the reason the row breaks it;
    n_<col> is the delivered value, t_<col> the same in its stored type."""
    deleted = "coalesce(t_is_deleted, false)"
    checks = []
    for col in entity.all_columns:
        n, t = f"n_{col.name}", f"t_{col.name}"
        # a delete row only needs to say which record and when
        needed = col.name in entity.key or col.name == "updated_at"
        if col.required:
            cond = f"{n} is null" if needed else f"{n} is null and not {deleted}"
            checks.append(f"case when {cond} then 'missing required value: {col.name}' end")
        if col.type != "text" and col.type != "id":
            checks.append(
                f"case when {n} is not null and {t} is null then "
                f"'{col.name}: ' || {n} || ' is not a valid {col.type}' end"
            )
        if col.enum:
            allowed = ", ".join(lit(v) for v in col.enum)
            checks.append(
                f"case when {n} is not null and {n} not in ({allowed}) then "
                f"'{col.name}: ' || {n} || ' is not one of {'/'.join(col.enum)}' end"
            )
    if entity.name == "opportunities":
        checks.append(
            "case when t_is_won and not t_is_closed "
            "then 'is_won is true on an opportunity that is not closed' end"
        )
    return checks


def _stored(entity: Entity, col: Column) -> str:
    value = f"t_{col.name}"
    if entity.name == "leads" and col.name == "source":
        return f"coalesce({value}, 'unknown')"
    if col.name == "is_deleted":
        return f"coalesce({value}, false)"
    return value


def _load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    batch_id: str,
    loaded_at: datetime,
) -> FileResult:
    entity_name = path.stem.lower()
    result = FileResult(entity=entity_name, source_file=str(path), status="loaded")
    con.execute("drop table if exists _csv_errors; drop table if exists _csv_scan")
    if path.stat().st_size == 0:
        result.status, result.message = "rejected", f"{path.name}: empty file (not even a header)"
        return result
    try:
        # keep file order (_rn): it breaks ties between versions with the same updated_at
        # Parquet is read in place (a view); CSV is copied once so its rejects are kept
        kind = "view" if path.suffix.lower() == ".parquet" else "table"
        con.execute(f"create or replace temp {kind} _in as {_read_sql(path)}")
    except duckdb.Error as exc:
        raise UserError(f"{path}: cannot be read as {path.suffix[1:]}: {exc}") from exc
    described = con.execute("select column_name, column_type from (describe _in)").fetchall()
    header = [name for name, _ in described if name != "_rn"]

    malformed = 0
    if path.suffix.lower() == ".csv":
        malformed = _quarantine_malformed_lines(con, batch_id, entity_name, path, loaded_at)
    received = con.execute("select count(*) from _in").fetchone()[0] + malformed
    result.received = received

    entity = ENTITIES.get(entity_name)
    lower = {h.lower().strip(): h for h in header}
    reject = None
    if entity is None:
        reject = f"unknown entity '{entity_name}': expected one of {', '.join(ENTITIES)}"
    else:
        missing = [c for c in entity.required if c not in lower]
        if missing and not _is_delete_feed(con, entity, lower, missing):
            reject = f"missing required column(s): {', '.join(missing)}"
    if reject:
        con.execute(
            f"""insert into {QUARANTINE}
            select ?, ?, ?, _rn, ?, to_json(struct_pack({
                ", ".join(f"{q(h)} := {q(h)}" for h in header)
            })), ? from _in""",
            [batch_id, entity_name, str(path), f"file rejected: {reject}", loaded_at],
        )
        result.status, result.message = "rejected", f"{path.name}: {reject}"
        result.quarantined = received
        return result

    types = dict(described)
    source_types = {h: types[orig] for h, orig in lower.items()}
    contract_names = {c.name for c in entity.all_columns}
    extras = [h for h in lower if h not in contract_names]
    renamed = ", ".join(f"{q(orig)} as {q(h)}" for h, orig in lower.items())
    normalised = ", ".join(
        f"{_normalised(c, source_types)} as n_{c.name}" for c in entity.all_columns
    )
    typed = ", ".join(
        f"{_typed(c, f'n_{c.name}', source_types.get(c.name, 'VARCHAR'))} as t_{c.name}"
        for c in entity.all_columns
    )
    extra_json = (
        "to_json(struct_pack(" + ", ".join(f"{q(e)} := {q(e)}" for e in extras) + "))"
        if extras
        else "null::json"
    )
    reasons = "nullif(concat_ws('; ', " + ", ".join(_checks(entity)) + "), '')"
    # the row as delivered, kept as JSON only for the rows quarantined (JSON for every
    # row was a third of the load time at 10 M rows)
    record = (
        "to_json(struct_pack("
        + ", ".join(f"{q(h)} := _in.{q(orig)}" for h, orig in lower.items())
        + "))"
    )
    stored = ", ".join(f"t_{c.name}" for c in entity.all_columns)
    checked = f"""
        with src as (select _rn, {renamed} from _in),
             norm as (select *, {normalised} from src),
             typed as (select *, {typed} from norm)
        select _rn, {stored}, {extra_json} as _extra_json, {reasons} as _reason
        from typed"""
    targets = ", ".join(q(c.name) for c in entity.all_columns)
    values = ", ".join(_stored(entity, c) for c in entity.all_columns)
    inserted = con.execute(
        f"""insert into raw.{entity.name} ({targets}, {", ".join(n for n, _ in LINEAGE_COLUMNS)})
        select {values}, _extra_json, ?, ?, _rn, ? from ({checked}) where _reason is null""",
        [batch_id, str(path), loaded_at],
    ).fetchone()[0]
    bad = received - malformed - inserted
    if bad:
        # the rare case: run the checks again for the rows that failed them (cheaper than
        # keeping every checked row of a clean file to find none)
        con.execute(
            f"""insert into {QUARANTINE}
            select ?, ?, ?, checked._rn, checked._reason, {record}, ?
            from ({checked}) as checked inner join _in on checked._rn = _in._rn
            where checked._reason is not null""",
            [batch_id, entity_name, str(path), loaded_at],
        )
    result.quarantined = bad + malformed
    result.loaded = received - result.quarantined
    if result.quarantined:
        result.message = f"{result.quarantined} row(s) quarantined"
    return result


def _is_delete_feed(
    con: duckdb.DuckDBPyConnection, entity: Entity, lower: dict[str, str], missing: list[str]
) -> bool:
    """A file of deletes only needs the key, updated_at and is_deleted (true on every row)."""
    if "is_deleted" not in lower or any(c in (*entity.key, "updated_at") for c in missing):
        return False
    column = q(lower["is_deleted"])
    not_deletes = con.execute(
        f"select count(*) from _in where not coalesce(try_cast({column} as boolean), false)"
    ).fetchone()[0]
    return not_deletes == 0


def _quarantine_malformed_lines(
    con: duckdb.DuckDBPyConnection, batch_id: str, entity: str, path: Path, loaded_at: datetime
) -> int:
    """CSV lines DuckDB could not split into the header's columns go to quarantine whole."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = '_csv_errors'"
    ).fetchone()[0]
    if not exists:
        return 0
    con.execute(
        f"""insert into {QUARANTINE}
        select distinct on (line) ?, ?, ?, line,
               'malformed CSV line: ' || error_message, to_json(struct_pack(line := csv_line)), ?
        from _csv_errors order by line""",
        [batch_id, entity, str(path), loaded_at],
    )
    return con.execute("select count(distinct line) from _csv_errors").fetchone()[0]


def load_batch(
    con: duckdb.DuckDBPyConnection,
    batch_dir: Path,
    *,
    loaded_at: datetime | None = None,
) -> BatchResult:
    """Load one batch folder all-or-nothing; files already loaded (same hash) are skipped."""
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    batch_id = batch_dir.name
    result = BatchResult(batch_id)
    files = batch_files(batch_dir)
    if not files:
        raise UserError(f"batch {batch_dir} holds no .csv or .parquet file")
    seen = {p.stem.lower() for p in files}
    if len(seen) != len(files):
        raise UserError(f"batch {batch_dir} holds the same entity twice (csv and parquet?)")
    ensure_raw_schema(con)
    con.execute("set TimeZone = 'UTC'")  # offset-less timestamps are UTC by contract
    con.execute("begin transaction")
    try:
        for path in files:
            digest = file_hash(path)
            prior = con.execute(
                f"select batch_id from {MANIFEST} where entity = ? and file_hash = ? "
                "and status in ('loaded', 'rejected') limit 1",
                [path.stem.lower(), digest],
            ).fetchone()
            if prior:
                result.files.append(
                    FileResult(
                        path.stem.lower(),
                        str(path),
                        "skipped",
                        message=f"already loaded in batch {prior[0]}",
                    )
                )
                continue
            fr = _load_file(con, path, batch_id, loaded_at)
            con.execute(
                f"insert into {MANIFEST} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    batch_id,
                    fr.entity,
                    fr.source_file,
                    digest,
                    fr.received,
                    fr.loaded,
                    fr.quarantined,
                    fr.status,
                    fr.message,
                    loaded_at,
                ],
            )
            result.files.append(fr)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return result


def load_path(
    database: Path,
    path: Path,
    *,
    progress: Callable[[str], None] = lambda _: None,
    config: dict[str, str] | None = None,
) -> list[BatchResult]:
    """Load every batch under `path` into the warehouse file, in delivery order.
    `config`: DuckDB settings (Settings.duckdb_config: memory limit, spill folder)."""
    batches = find_batches(path)
    database.parent.mkdir(parents=True, exist_ok=True)
    results = []
    with duckdb.connect(str(database), config=config or {}) as con:
        for i, batch in enumerate(batches, 1):
            res = load_batch(con, batch)
            progress(
                f"[{i}/{len(batches)}] batch {res.batch_id}: {res.loaded:,} rows loaded, "
                f"{res.quarantined:,} quarantined" + _skipped_note(res.files)
            )
            results.append(res)
    return results


def _skipped_note(files: Iterable[FileResult]) -> str:
    skipped = sum(f.status == "skipped" for f in files)
    rejected = [f.message for f in files if f.status == "rejected"]
    note = f", {skipped} file(s) already loaded" if skipped else ""
    if rejected:
        note += "; REJECTED " + "; ".join(rejected)
    return note
