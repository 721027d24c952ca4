"""Landing batches -> append-only raw.<entity> tables, by the rules of docs/landing-contract.md.

Every row of every file ends in exactly one place: raw.<entity> (it met the contract)
or raw._quarantine (with the reason it did not). raw._load_manifest records, per file,
its content hash and the counts, so received = loaded + quarantined can be audited.
A batch is one DuckDB transaction: a crash mid-batch leaves nothing of it behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from salesperf.contract import (
    BATCH_COMPLETE_MARKER,
    ENTITIES,
    FILE_SUFFIXES,
    SAMPLE_MARKER,
    SQL_TYPES,
    Column,
    Entity,
)
from salesperf.csv_repair import RepairedCsv, UnreadableFile, repair_csv
from salesperf.errors import UserError

MANIFEST = "raw._load_manifest"
BATCHES = "raw._batches"  # one row per batch: where it came from (the sample or extracts)
QUARANTINE = "raw._quarantine"
# An event may be dated up to this long after its batch was loaded before it counts as a
# clock error: sources that write local time without an offset run up to 14 h ahead of UTC.
CLOCK_TOLERANCE = timedelta(days=1)
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
        # a warehouse made before the contract gained an optional column gets it empty
        for c in entity.all_columns:
            con.execute(
                f"alter table raw.{entity.name} add column if not exists "
                f"{q(c.name)} {SQL_TYPES[c.type]}"
            )
    con.execute(
        f"""create table if not exists {MANIFEST} (
            batch_id varchar, entity varchar, source_file varchar, file_hash varchar,
            rows_received bigint, rows_loaded bigint, rows_quarantined bigint,
            status varchar, message varchar, loaded_at timestamp)"""
    )
    con.execute(
        f"""create table if not exists {BATCHES} (
            batch_id varchar, origin varchar, path varchar, loaded_at timestamp)"""
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


def entity_of(path: Path) -> str | None:
    """The entity a file delivers (its name without the extract suffix), or None when the
    file is not an extract kind the contract knows."""
    name = path.name.lower()
    suffix = next((s for s in FILE_SUFFIXES if name.endswith(s)), None)
    return name[: -len(suffix)] if suffix else None


def _is_marker(path: Path) -> bool:
    # hidden files and _MARKERS (_SUCCESS, _SAMPLE) are not deliveries
    return path.name.startswith((".", "_"))


def batch_files(batch_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in batch_dir.iterdir()
        if p.is_file() and not _is_marker(p) and entity_of(p) is not None
    )


def unsupported_files(batch_dir: Path) -> list[Path]:
    """Files in a batch that are no extract kind: recorded as rejected, never ignored."""
    return sorted(
        p for p in batch_dir.iterdir() if p.is_file() and not _is_marker(p) and entity_of(p) is None
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
            f"no batch found in {path}: expected .csv/.csv.gz/.parquet extract files, or batch "
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


def _read_repaired_sql(repaired: RepairedCsv) -> str:
    """The repaired copy, whose first column is the record's number in the delivered file."""
    return (
        f"select {q(repaired.record_column)}::bigint as _rn, "
        f"* exclude ({q(repaired.record_column)}) "
        f"from read_csv({lit(str(repaired.path))}, all_varchar = true, header = true, "
        "delim = ',', quote = '\"', escape = '\"', max_line_size = 1073741824)"
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


def _checks(entity: Entity, latest_event: datetime) -> list[str]:
    """One SQL expression per contract rule, each NULL or the reason the row breaks it;
    n_<col> is the delivered value, t_<col> the same in its stored type. An event later
    than `latest_event` (the load time plus a tolerance) is a clock error in the source."""
    deleted = "coalesce(t_is_deleted, false)"
    limit = f"timestamp '{latest_event.isoformat(sep=' ', timespec='seconds')}'"
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
        if col.type == "rate":
            # NaN and infinities parse as doubles but are no values (DECIMAL refuses them)
            checks.append(
                f"case when {t} is not null and not isfinite({t}) then "
                f"'{col.name}: ' || cast({n} as varchar) || ' is not a finite number' end"
            )
        if col.bounds:
            low, high = col.bounds
            checks.append(
                f"case when {t} is not null and not ({t} between {low} and {high}) then "
                f"'{col.name}: ' || cast({n} as varchar) || ' is not between {low} and {high}' end"
            )
        if col.event:
            checks.append(
                f"case when {t} > {limit} then '{col.name}: ' || cast({n} as varchar) "
                "|| ' is after the batch was delivered (a clock error in the source)' end"
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
    scratch: Path,
) -> FileResult:
    entity_name = entity_of(path) or path.name.lower()
    result = FileResult(entity=entity_name, source_file=str(path), status="loaded")
    con.execute("drop table if exists _csv_errors; drop table if exists _csv_scan")
    if path.stat().st_size == 0:
        result.status, result.message = "rejected", f"{path.name}: empty file (not even a header)"
        return result
    is_csv = path.suffix.lower() != ".parquet"
    repaired: RepairedCsv | None = None
    try:
        # keep file order (_rn): it breaks ties between versions with the same updated_at
        # Parquet is read in place (a view); CSV is copied once so its rejects are kept
        kind = "table" if is_csv else "view"
        con.execute(f"create or replace temp {kind} _in as {_read_sql(path)}")
        if is_csv and _has_csv_errors(con):
            repaired = repair_csv(path, scratch)
    except UnreadableFile as exc:
        result.status, result.message = "rejected", f"{path.name}: {exc}"
        return result
    except duckdb.Error as exc:
        message = str(exc)
        if is_csv and "maximum line size" in message.lower():
            # the error aborted the batch's transaction: the batch starts again without it
            raise _Unreadable(
                path,
                f"{path.name}: a line is longer than the reader's maximum "
                f"({_MAX_LINE_BYTES:,} bytes); split the field or deliver Parquet",
            ) from None
        if not is_csv:
            first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
            raise UserError(f"{path}: cannot be read as parquet: {first}") from exc
        # DuckDB could not even sniff the dialect: the slow, exact reader decides
        try:
            repaired = repair_csv(path, scratch)
        except UnreadableFile as unreadable:
            result.status, result.message = "rejected", f"{path.name}: {unreadable}"
            return result
    if repaired is not None:
        # broken records or another encoding: read the repaired copy, quarantine the rest
        con.execute(f"create or replace temp table _in as {_read_repaired_sql(repaired)}")
        for number, reason, text in repaired.bad_records:
            con.execute(
                f"insert into {QUARANTINE} "
                "values (?, ?, ?, ?, ?, to_json(struct_pack(line := ?)), ?)",
                [batch_id, entity_name, str(path), number, reason, text, loaded_at],
            )
        if repaired.encoding != "utf-8":
            result.message = f"decoded as {repaired.encoding}"
    described = con.execute("select column_name, column_type from (describe _in)").fetchall()
    header = [name for name, _ in described if name != "_rn"]

    malformed = len(repaired.bad_records) if repaired else 0
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
    reasons = (
        "nullif(concat_ws('; ', "
        + ", ".join(_checks(entity, loaded_at + CLOCK_TOLERANCE))
        + "), '')"
    )
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
        note = f"{result.quarantined} row(s) quarantined"
        result.message = f"{note}; {result.message}" if result.message else note
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


_MAX_LINE_BYTES = 2_097_152  # DuckDB's read_csv max_line_size default


def _has_csv_errors(con: duckdb.DuckDBPyConnection) -> bool:
    """Did DuckDB reject any line (cut records, another encoding, a stray quote)?"""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = '_csv_errors'"
    ).fetchone()[0]
    return bool(exists) and con.execute("select count(*) from _csv_errors").fetchone()[0] > 0


def load_batch(
    con: duckdb.DuckDBPyConnection,
    batch_dir: Path,
    *,
    loaded_at: datetime | None = None,
    origin: str | None = None,
) -> BatchResult:
    """Load one batch folder all-or-nothing; files already loaded (same hash) are skipped.
    `origin`: 'sample' or 'extracts' (default: read from the folder's markers)."""
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    batch_id = batch_dir.name
    result = BatchResult(batch_id)
    files = batch_files(batch_dir)
    others = unsupported_files(batch_dir)
    if not files and not others:
        raise UserError(f"batch {batch_dir} holds no .csv, .csv.gz or .parquet file")
    entities = [entity_of(p) for p in files]
    if len(set(entities)) != len(entities):
        twice = max(entities, key=entities.count)
        raise UserError(f"batch {batch_dir} holds the entity {twice!r} twice (csv and parquet?)")
    ensure_raw_schema(con)
    con.execute("set TimeZone = 'UTC'")  # offset-less timestamps are UTC by contract
    refused: dict[Path, str] = {}
    while True:
        con.execute("begin transaction")
        try:
            with tempfile.TemporaryDirectory(prefix="salesperf-load-") as scratch:
                for path in [*files, *others]:
                    fr = _load_one(con, path, batch_id, loaded_at, Path(scratch), refused)
                    result.files.append(fr)
            con.execute(
                f"insert into {BATCHES} values (?, ?, ?, ?)",
                [batch_id, origin or origin_of([batch_dir]), str(batch_dir), loaded_at],
            )
            con.execute("commit")
            return result
        except _Unreadable as exc:
            con.execute("rollback")
            refused[exc.path] = exc.message
            result = BatchResult(batch_id)
        except BaseException:
            _rollback(con)
            raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the batch; a commit that failed (a full disk) has already ended the
    transaction, and the error to report is that one, not the rollback's."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("rollback")


class _Unreadable(Exception):
    """DuckDB refused a file in a way that aborts the transaction: load the batch again
    with that file recorded as rejected."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def _load_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    batch_id: str,
    loaded_at: datetime,
    scratch: Path,
    refused: dict[Path, str],
) -> FileResult:
    """One file of a batch, recorded in the manifest (unless the same bytes were already)."""
    digest = file_hash(path)
    entity = entity_of(path) or path.name.lower()
    prior = con.execute(
        f"select batch_id from {MANIFEST} where entity = ? and file_hash = ? "
        "and status in ('loaded', 'rejected') limit 1",
        [entity, digest],
    ).fetchone()
    if prior:
        return FileResult(
            entity, str(path), "skipped", message=f"already loaded in batch {prior[0]}"
        )
    if path in refused:
        fr = FileResult(entity, str(path), "rejected", message=refused[path])
    elif entity_of(path) is None:
        fr = FileResult(
            entity,
            str(path),
            "rejected",
            message=f"{path.name}: unsupported file type (expected .csv, .csv.gz or .parquet)",
        )
    else:
        fr = _load_file(con, path, batch_id, loaded_at, scratch)
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
    return fr


def loaded_batches(database: Path) -> set[str] | None:
    """The batch folders (resolved paths) the warehouse has loaded, from its own records;
    None when the file is busy (a run is writing it: ask again later)."""
    if not database.exists():
        return set()
    try:
        con = duckdb.connect(str(database), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException):
        return None  # another process (or this one) holds it for writing
    with con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw'"
            ).fetchall()
        }
        paths: set[str] = set()
        if "_batches" in tables:
            paths |= {r[0] for r in con.execute(f"select path from {BATCHES}").fetchall()}
        if "_load_manifest" in tables:  # warehouses loaded before raw._batches existed
            files = con.execute(f"select distinct source_file from {MANIFEST}").fetchall()
            paths |= {str(Path(r[0]).parent) for r in files}
    return {str(Path(p).resolve()) for p in paths}


def origin_of(batches: list[Path]) -> str:
    """'sample' for the generator's batches (and batches added beside them, say a dirty
    one for a test), 'extracts' for a company's own."""
    return "sample" if any((b / SAMPLE_MARKER).exists() for b in batches) else "extracts"


def refuse_mixing(con: duckdb.DuckDBPyConnection, origin: str) -> None:
    """The generated sample and a company's own extracts never share a warehouse: their
    reps, deals and months would silently add up."""
    ensure_raw_schema(con)
    held = {r[0] for r in con.execute(f"select distinct origin from {BATCHES}").fetchall()}
    if held and held != {origin}:
        what = "the generated sample" if "sample" in held else "other extracts than the sample"
        raise UserError(
            f"the warehouse already holds {what}; loading these would mix two companies' "
            "data: run `salesperf reset --yes` to start a new warehouse (the virtual "
            "environment and your files stay), or set SALESPERF_WAREHOUSE to another file"
        )


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
    origin = origin_of(batches)
    with duckdb.connect(str(database), config=config or {}) as con:
        refuse_mixing(con, origin)
        for i, batch in enumerate(batches, 1):
            res = load_batch(con, batch, origin=origin)
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
