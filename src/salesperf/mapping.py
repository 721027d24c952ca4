"""Declarative CRM mappings: a user's export files -> batches in the landing contract.

A mapping (YAML) says, per contract entity, which export file(s) feed it and how each
contract column is made from a source row: a renamed column, a value map, a DuckDB SQL
expression, or a constant. The mapped batch is then loaded by the ordinary loader, so
quarantine, manifest and received = loaded + quarantined hold for mapped data as well.
Rows a mapping's `filter` leaves out (a Task that is not a call) are not CRM records of
that entity, and the check report counts them separately.
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from salesperf.contract import BATCH_COMPLETE_MARKER, ENTITIES, Entity
from salesperf.errors import UserError

SHIPPED = Path(__file__).with_name("mappings")
SOURCE_ALIAS = "src"
ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class ColumnSpec:
    kind: str  # column | expr | const
    value: Any
    value_map: dict[str, str] | None = None
    default: Any = None
    has_default: bool = False


@dataclass(frozen=True)
class Join:
    files: str
    alias: str
    on: str
    # an aggregate join: one row per `group_by` value of the joined files, with these
    # columns computed over its rows (a rep's hire date = their first engagement)
    group_by: str | None = None
    aggregates: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceBlock:
    entity: str
    index: int
    files: str
    columns: dict[str, ColumnSpec]
    filter: str | None = None
    joins: tuple[Join, ...] = ()
    distinct: bool = False
    # source columns carried as they are into the contract file: the loader keeps them in
    # `_extra` (custom fields a report may want)
    extras: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"entities.{self.entity}[{self.index}]"


@dataclass(frozen=True)
class Mapping:
    name: str
    path: Path
    blocks: tuple[SourceBlock, ...]
    timezone: str = "UTC"
    timestamp_format: str | None = None
    date_format: str | None = None
    id_prefix: str = ""
    description: str = ""


@dataclass
class EntityReport:
    entity: str
    files: list[str] = field(default_factory=list)
    source_rows: int = 0
    filtered_out: int = 0
    would_load: int = 0
    would_quarantine: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ reading the YAML


def resolve(name_or_path: str) -> Path:
    """`salesforce`, `hubspot` (shipped) or a path to a mapping file."""
    shipped = SHIPPED / f"{name_or_path}.yml"
    if shipped.exists():
        return shipped
    path = Path(name_or_path)
    if not path.exists():
        names = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.yml")))
        raise UserError(f"mapping {name_or_path!r} not found: use {names} or a .yml file")
    return path


def _column_spec(where: str, target: str, raw: Any) -> ColumnSpec:
    if isinstance(raw, str):
        return ColumnSpec("column", raw)
    if isinstance(raw, bool | int | float) or raw is None:
        raise UserError(
            f"{where}.columns.{target}: give a source column name, or "
            "{column: ...}, {expr: ...} or {const: ...}"
        )
    if not isinstance(raw, dict):
        raise UserError(f"{where}.columns.{target}: expected a name or a mapping, got {raw!r}")
    kinds = [k for k in ("column", "expr", "const") if k in raw]
    if len(kinds) != 1:
        raise UserError(f"{where}.columns.{target}: use exactly one of column, expr or const")
    unknown = set(raw) - {"column", "expr", "const", "map", "default"}
    if unknown:
        raise UserError(f"{where}.columns.{target}: unknown key(s) {', '.join(sorted(unknown))}")
    value_map = raw.get("map")
    if value_map is not None and not isinstance(value_map, dict):
        raise UserError(f"{where}.columns.{target}.map: expected source value: contract value")
    return ColumnSpec(
        kinds[0],
        raw[kinds[0]],
        {str(k): v for k, v in value_map.items()} if value_map else None,
        raw.get("default"),
        "default" in raw,
    )


def _block(entity: Entity, index: int, raw: Any) -> SourceBlock:
    where = f"entities.{entity.name}[{index}]"
    if not isinstance(raw, dict) or "from" not in raw or "columns" not in raw:
        raise UserError(f"{where}: each source needs `from` (file name or glob) and `columns`")
    unknown = set(raw) - {"from", "columns", "filter", "joins", "distinct", "extras"}
    if unknown:
        raise UserError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    known = {c.name for c in entity.all_columns}
    columns: dict[str, ColumnSpec] = {}
    for target, spec in (raw["columns"] or {}).items():
        if target not in known:
            close = difflib.get_close_matches(target, known, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(
                f"{where}.columns: unknown column {target!r} for {entity.name}{hint}; "
                f"the contract's columns are {', '.join(c.name for c in entity.all_columns)}"
            )
        columns[target] = _column_spec(where, target, spec)
    missing = [c for c in entity.required if c not in columns]
    if missing:
        raise UserError(
            f"{where}: required column(s) {', '.join(missing)} of {entity.name} not mapped"
        )
    joins = []
    for j, join in enumerate(raw.get("joins") or []):
        if isinstance(join, dict) and True in join:
            join = {**join, "on": join.pop(True)}  # YAML 1.1 reads a bare `on` as true
        if not isinstance(join, dict) or not {"from", "as", "on"} <= set(join):
            raise UserError(f"{where}.joins[{j}]: needs from, as and on")
        if join["as"] == SOURCE_ALIAS:
            raise UserError(f"{where}.joins[{j}]: `{SOURCE_ALIAS}` is the source row's name")
        aggregate = join.get("aggregate")
        if aggregate is not None and (
            not isinstance(aggregate, dict)
            or not isinstance(aggregate.get("group_by"), str)
            or not isinstance(aggregate.get("columns"), dict)
            or not aggregate["columns"]
        ):
            raise UserError(
                f"{where}.joins[{j}].aggregate: needs group_by (a column of {join['from']}) "
                "and columns ({name: SQL aggregate, e.g. 'min(\"createdAt\")'})"
            )
        joins.append(
            Join(
                str(join["from"]),
                str(join["as"]),
                str(join["on"]),
                aggregate["group_by"] if aggregate else None,
                {str(k): str(v) for k, v in aggregate["columns"].items()} if aggregate else {},
            )
        )
    extras = raw.get("extras") or []
    if not isinstance(extras, list) or not all(isinstance(e, str) for e in extras):
        raise UserError(f"{where}.extras: a list of source column names")
    clash = sorted(set(extras) & known)
    if clash:
        raise UserError(f"{where}.extras: {', '.join(clash)} are contract columns; map them")
    return SourceBlock(
        entity.name,
        index,
        str(raw["from"]),
        columns,
        raw.get("filter"),
        tuple(joins),
        bool(raw.get("distinct", False)),
        tuple(extras),
    )


def read_mapping(name_or_path: str) -> Mapping:
    """Parse and statically validate a mapping file (no export needed)."""
    path = resolve(name_or_path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or "entities" not in doc or "name" not in doc:
        raise UserError(f"{path}: a mapping needs `name` and `entities`")
    source = doc.get("source") or {}
    blocks: list[SourceBlock] = []
    for entity_name, raw_blocks in (doc["entities"] or {}).items():
        if entity_name not in ENTITIES:
            close = difflib.get_close_matches(str(entity_name), ENTITIES, n=2)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(
                f"{path}: unknown entity {entity_name!r}{hint}; "
                f"the contract's entities are {', '.join(ENTITIES)}"
            )
        items = raw_blocks if isinstance(raw_blocks, list) else [raw_blocks]
        blocks += [_block(ENTITIES[entity_name], i, b) for i, b in enumerate(items)]
    return Mapping(
        name=str(doc["name"]),
        path=path,
        blocks=tuple(blocks),
        timezone=str(source.get("timezone", "UTC")),
        timestamp_format=source.get("timestamp_format"),
        date_format=source.get("date_format"),
        id_prefix=str(source.get("id_prefix", "")),
        description=str(doc.get("description", "")),
    )


# --------------------------------------------------------------- SQL for one source


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "'true'" if value else "'false'"
    return "'" + str(value).replace("'", "''") + "'"


def _value_sql(spec: ColumnSpec) -> str:
    if spec.kind == "const":
        base = _literal(spec.value)
    elif spec.kind == "column":
        base = f"{SOURCE_ALIAS}.{_quote(str(spec.value))}"
    else:
        base = f"({spec.value})"
    base = f"cast({base} as varchar)"
    if spec.value_map is None and not spec.has_default:
        return base
    whens = " ".join(
        f"when {_literal(k)} then {_literal(v)}" for k, v in (spec.value_map or {}).items()
    )
    fallback = _literal(spec.default) if spec.has_default else base
    return f"case {base} {whens} else {fallback} end" if whens else f"coalesce({base}, {fallback})"


def _typed_sql(mapping: Mapping, entity: Entity, target: str, sql: str) -> str:
    """Reformat dates, times and ids the way the contract expects them. A value that does
    not parse passes through unchanged, so the loader quarantines it with its reason."""
    kind = entity.column(target).type
    if kind == "id" and mapping.id_prefix:
        prefix = _literal(mapping.id_prefix)
        return f"case when nullif(trim({sql}), '') is null then {sql} else {prefix} || {sql} end"
    if kind == "timestamp" and (mapping.timestamp_format or mapping.timezone != "UTC"):
        if mapping.timestamp_format == "epoch_ms":
            parsed = f"make_timestamp(try_cast({sql} as bigint) * 1000)"
        elif mapping.timestamp_format:
            parsed = f"try_strptime({sql}, {_literal(mapping.timestamp_format)})"
        else:
            parsed = f"try_cast({sql} as timestamp)"
        if mapping.timezone != "UTC" and mapping.timestamp_format != "epoch_ms":
            parsed = f"timezone('UTC', timezone({_literal(mapping.timezone)}, {parsed}))"
        return f"coalesce(strftime({parsed}, '{ISO_SECONDS}'), {sql})"
    if kind == "date" and mapping.date_format:
        parsed = f"try_strptime({sql}, {_literal(mapping.date_format)})"
        return f"coalesce(strftime({parsed}, '%Y-%m-%d'), {sql})"
    return sql


def _reader(files: list[Path]) -> str:
    listed = "[" + ", ".join(_literal(str(f)) for f in files) + "]"
    if all(f.suffix.lower() == ".parquet" for f in files):
        return f"read_parquet({listed}, union_by_name = true)"
    return f"read_csv({listed}, header = true, all_varchar = true, union_by_name = true)"


def _files(export: Path, pattern: str) -> list[Path]:
    return sorted(p for p in export.glob(pattern) if p.is_file())


def _header(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list[str]:
    return [r[0] for r in con.execute(f"describe select * from {_reader(files)}").fetchall()]


def _check_column(where: str, target: str, name: str, header: list[str], files: str) -> None:
    if name not in header:
        close = difflib.get_close_matches(name, header, n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UserError(f"{where}.columns.{target}: column {name!r} is not in {files}{hint}")


def _select_sql(
    con: duckdb.DuckDBPyConnection, mapping: Mapping, block: SourceBlock, export: Path
) -> str | None:
    """The select producing contract-shaped text rows for one source block, validated
    against the export; None when its files are absent."""
    files = _files(export, block.files)
    if not files:
        return None
    header = _header(con, files)
    entity = ENTITIES[block.entity]
    for target, spec in block.columns.items():
        if spec.kind == "column":
            _check_column(block.where, target, str(spec.value), header, block.files)
    for extra in block.extras:
        _check_column(block.where, f"extras.{extra}", extra, header, block.files)
    joins = []
    for j, join in enumerate(block.joins):
        join_files = _files(export, join.files)
        if not join_files:
            raise UserError(f"{block.where}.joins[{j}]: {join.files} not found in {export}")
        joined = _reader(join_files)
        if join.group_by:
            _check_column(
                f"{block.where}.joins[{j}]",
                "aggregate.group_by",
                join.group_by,
                _header(con, join_files),
                join.files,
            )
            computed = ", ".join(
                f"{sql} as {_quote(name)}" for name, sql in join.aggregates.items()
            )
            key = _quote(join.group_by)
            joined = f"(select {key}, {computed} from {joined} group by {key})"
            try:
                con.execute(f"select * from {joined} limit 0")
            except duckdb.Error as exc:
                raise UserError(f"{block.where}.joins[{j}].aggregate: {_first_line(exc)}") from exc
        joins.append(f"left join {joined} as {_quote(join.alias)} on {join.on}")
    source = f"{_reader(files)} as {SOURCE_ALIAS} {' '.join(joins)}"
    outputs = [
        f"{_typed_sql(mapping, entity, target, _value_sql(spec))} as {_quote(target)}"
        for target, spec in block.columns.items()
    ]
    outputs += [
        f"cast({SOURCE_ALIAS}.{_quote(extra)} as varchar) as {_quote(extra)}"
        for extra in block.extras
    ]
    outputs.append(f"{_literal(mapping.name)} as source_system")
    where = f"where {block.filter}" if block.filter else ""
    select = (
        f"select {'distinct' if block.distinct else ''} {', '.join(outputs)} from {source} {where}"
    )
    # every expression and the filter must parse and bind before anything is written
    for target, spec in [*block.columns.items(), ("filter", None)]:
        if target == "filter" and not block.filter:
            continue
        probe = (
            f"select 1 from {source} where {block.filter} limit 0"
            if spec is None
            else f"select {_value_sql(spec)} from {source} limit 0"
        )
        try:
            con.execute(probe)
        except duckdb.ParserException as exc:
            what = "filter" if spec is None else f"columns.{target}"
            raise UserError(f"{block.where}.{what}: does not parse: {_first_line(exc)}") from exc
        except duckdb.Error as exc:
            what = "filter" if spec is None else f"columns.{target}"
            raise UserError(f"{block.where}.{what}: {_first_line(exc)}") from exc
    return select


def _first_line(exc: Exception) -> str:
    line = str(exc).strip().splitlines()[0]
    if "disabled by configuration" in line:
        return f"{line} (a mapping may read only the export's own files)"
    return line


def _sandboxed(export_root: Path, out: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that reads only the export and writes only the mapped batches:
    a mapping is configuration, and an expression like read_csv('/etc/passwd') must not
    reach other files."""
    con = duckdb.connect()
    folders = [str(p.resolve()) + "/" for p in (export_root, out)]
    con.execute(f"set allowed_directories = [{', '.join(_literal(f) for f in folders)}]")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


# ------------------------------------------------------------------- applying it


def exports_under(path: Path) -> list[Path]:
    """One export is a folder of files; a folder of such folders is several exports,
    applied in name order (date-prefix them)."""
    if not path.exists():
        raise UserError(f"export path not found: {path}")
    if not path.is_dir():
        raise UserError(f"export path is not a folder: {path}")
    if any(p.is_file() and not p.name.startswith(".") for p in path.iterdir()):
        return [path]
    subs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not subs:
        raise UserError(f"no export files found in {path}")
    return subs


def apply(
    mapping: Mapping, export_root: Path, out: Path
) -> tuple[list[Path], dict[str, EntityReport]]:
    """Write one contract batch per export under `out/<mapping name>/`; validate all of
    it first, so a mistake writes nothing. Returns the batch folders and what was read."""
    exports = exports_under(export_root)
    reports: dict[str, EntityReport] = {}
    plans: list[tuple[Path, list[tuple[SourceBlock, str]]]] = []
    out.mkdir(parents=True, exist_ok=True)
    with _sandboxed(export_root, out) as con:
        for export in exports:
            planned = []
            for block in mapping.blocks:
                report = reports.setdefault(block.entity, EntityReport(block.entity))
                sql = _select_sql(con, mapping, block, export)
                if sql is None:
                    report.notes.append(f"{export.name}/{block.files}: not in the export, skipped")
                    continue
                planned.append((block, sql))
            if not planned:
                expected = sorted({b.files for b in mapping.blocks})
                found = sorted(p.name for p in export.iterdir() if p.is_file())
                raise UserError(
                    f"none of the files the {mapping.name} mapping reads is in {export}: "
                    f"it expects {', '.join(expected)}; the folder holds "
                    f"{', '.join(found[:10]) or 'no files'}" + (" ..." if len(found) > 10 else "")
                )
            plans.append((export, planned))
        batches = []
        for export, planned in plans:
            batch = out / mapping.name / export.name
            if batch.exists():
                for old in batch.iterdir():
                    old.unlink()
            batch.mkdir(parents=True, exist_ok=True)
            by_entity: dict[str, list[tuple[SourceBlock, str]]] = {}
            for item in planned:
                by_entity.setdefault(item[0].entity, []).append(item)
            for entity_name, items in by_entity.items():
                report = reports[entity_name]
                columns = sorted(
                    {t for b, _ in items for t in (*b.columns, *b.extras)} | {"source_system"}
                )
                parts = []
                for block, select in items:
                    report.files.append(f"{export.name}/{block.files}")
                    read = con.execute(
                        f"select count(*) from {_reader(_files(export, block.files))}"
                    ).fetchone()[0]
                    kept = con.execute(f"select count(*) from ({select})").fetchone()[0]
                    report.source_rows += read
                    report.filtered_out += read - kept
                    present = set(block.columns) | set(block.extras) | {"source_system"}
                    parts.append(
                        "select "
                        + ", ".join(
                            _quote(c) if c in present else f"cast(null as varchar) as {_quote(c)}"
                            for c in columns
                        )
                        + f" from ({select})"
                    )
                target = batch / f"{entity_name}.csv"
                # a stable row order: the same export always maps to the same bytes, so
                # the loader recognises a file it has already loaded
                con.execute(
                    f"copy (select * from ({' union all '.join(parts)}) order by all) "
                    f"to {_literal(str(target))} (header, delimiter ',')"
                )
            (batch / BATCH_COMPLETE_MARKER).touch()
            batches.append(batch)
    return batches, reports


def check(mapping: Mapping, export_root: Path) -> dict[str, EntityReport]:
    """What a load would do, without touching the warehouse: the mapped batches are loaded
    into a throw-away DuckDB by the real loader, and its manifest and quarantine read."""
    from salesperf.load import load_path

    with tempfile.TemporaryDirectory(prefix="salesperf-mapping-") as tmp:
        _, reports = apply(mapping, export_root, Path(tmp) / "mapped")
        db = Path(tmp) / "check.duckdb"
        load_path(db, Path(tmp) / "mapped")
        with duckdb.connect(str(db), read_only=True) as con:
            for entity, loaded, quarantined in con.execute(
                "select entity, sum(rows_loaded), sum(rows_quarantined) "
                "from raw._load_manifest group by entity"
            ).fetchall():
                reports[entity].would_load = int(loaded or 0)
                reports[entity].would_quarantine = int(quarantined or 0)
            for entity, reason, n in con.execute(
                "select entity, reason, count(*) from raw._quarantine group by all order by all"
            ).fetchall():
                reports[entity].reasons[reason] = int(n)
            for entity, message in con.execute(
                "select entity, message from raw._load_manifest where status = 'rejected'"
            ).fetchall():
                reports[entity].notes.append(f"file rejected: {message}")
    return reports


def format_report(mapping: Mapping, export_root: Path, reports: dict[str, EntityReport]) -> str:
    lines = [f"mapping {mapping.name} ({mapping.path}) on {export_root}"]
    header = ("entity", "source rows", "left out", "would load", "quarantined")
    rows = [
        (e, str(r.source_rows), str(r.filtered_out), str(r.would_load), str(r.would_quarantine))
        for e, r in reports.items()
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    for entity, report in reports.items():
        for reason, n in report.reasons.items():
            lines.append(f"  {entity}: {n} quarantined: {reason}")
        for note in report.notes:
            lines.append(f"  {entity}: {note}")
    absent = [e for e in ENTITIES if e not in reports]
    if absent:
        lines.append(f"not mapped (absent; their KPIs are NULL): {', '.join(absent)}")
    return "\n".join(lines)
