"""Great Expectations suites (kept as data in expectations/) run inside the engine.

On DuckDB the suites run through GX's SQL datasource (duckdb-engine): each suite names the
SQL that selects its rows, the batch filter included, and GX computes every expectation
as SQL; no table becomes a DataFrame (at 10 M rows: 6 s and 1.5 GB instead of 75 s and
3.3 GB). On Spark the same SQL runs on the Spark session and GX's Spark datasource
validates the lazy DataFrame it returns (salesperf.spark_gate), so the raw batch filter is
a partition filter on the lake. Runtime bounds (volume against recent batches, row
counts against the published version) are GX suite parameters computed here. A suite
that evaluated no expectation, or an expectation that raised, is a failure, never a
pass. Expectations whose meta says `severity: warning` are reported but do not fail the
gate.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import duckdb

from salesperf.data_docs import make_offline
from salesperf.settings import Settings
from salesperf.warehouse_io import mart_tables

COMPANY_FOUNDED = "2000-01-01T00:00:00"


@dataclass
class Outcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    raised: bool
    detail: str = ""


@dataclass
class SuiteResult:
    suite: str
    outcomes: list[Outcome] = field(default_factory=list)
    error: str = ""  # the suite could not run at all

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.raised or (not o.success and o.severity != "warning")]

    @property
    def warnings(self) -> list[Outcome]:
        return [
            o for o in self.outcomes if not o.success and not o.raised and o.severity == "warning"
        ]

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.outcomes) and not self.failures

    def summary(self) -> str:
        if self.error:
            return f"{self.suite}: {self.error}"
        if not self.outcomes:
            return f"{self.suite}: evaluated no expectation"
        bad = self.failures
        return f"{self.suite}: " + (
            "; ".join(f"{o.expectation}({o.column or ''}) {o.detail}".strip() for o in bad)
            if bad
            else f"{len(self.outcomes)} expectations passed"
        )


@dataclass
class QualityReport:
    layer: str
    suites: list[SuiteResult]
    docs_index: Path | None

    @property
    def passed(self) -> bool:
        return bool(self.suites) and all(s.passed for s in self.suites)

    def failures(self) -> list[str]:
        return [s.summary() for s in self.suites if not s.passed]


def suites_dir(settings: Settings) -> Path:
    return settings.project_dir / "expectations"


def docs_root(settings: Settings) -> Path:
    """Where this warehouse's GX stores (suites, results, Data Docs) live: beside the
    warehouse, so two warehouses never share validation history and a test's warehouse
    starts with none."""
    # one per engine: a stored validation names its datasource, which the other engine's
    # process does not have
    name = "gx_spark" if settings.engine == "spark" else "gx_sql"
    return settings.warehouse.parent / name


def docs_index(settings: Settings) -> Path:
    return docs_root(settings) / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def load_suites(settings: Settings, layer: str) -> list[dict]:
    folder = suites_dir(settings) / layer
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def _columns_used(spec: dict) -> list[str]:
    """The columns a suite's expectations read (table-level ones read none)."""
    used: set[str] = set()
    for e in spec["expectations"]:
        kwargs = e["kwargs"]
        used.update(kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs)
        used.update(kwargs.get("column_list", []))
    return sorted(used)


class QueryFailed(Exception):
    """A suite's or an offenders query could not run (first line of the engine's error)."""


class Rows(Protocol):
    """What the gate asks of an engine besides GX: a query's columns, and a few rows."""

    def columns(self, query: str) -> set[str]: ...

    def fetch(self, query: str, limit: int | None = None) -> tuple[list[str], list[tuple]]: ...

    def quote(self, name: str) -> str: ...


class DuckDBRows:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def columns(self, query: str) -> set[str]:
        try:
            return {r[0] for r in self.con.execute(f"describe {query}").fetchall()}
        except duckdb.Error as exc:
            raise QueryFailed(str(exc).splitlines()[0]) from exc

    def fetch(self, query: str, limit: int | None = None) -> tuple[list[str], list[tuple]]:
        try:
            cursor = self.con.execute(query)
            names = [d[0] for d in cursor.description]
            return names, cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        except duckdb.Error as exc:
            raise QueryFailed(str(exc).splitlines()[0]) from exc

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'


def _projected(rows: Rows, query: str, columns: list[str]) -> str:
    """Only the columns the suite reads: a raw batch of a million rows as a whole-table
    DataFrame costs seconds and hundreds of MB that no expectation looks at. A column the
    query lacks is left out here, so its expectation fails on its own with GX's answer."""
    probe = re.sub(r"\$\w+", "null", query)  # parameter values do not change the shape
    try:
        present = rows.columns(probe)
    except QueryFailed:
        return query  # let the real query report its own error
    keep = [c for c in columns if c in present]
    listed = ", ".join(rows.quote(c) for c in keep) or "1 as _row"
    return f"select {listed} from ({query}) as suite_rows"


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _bound(query: str, params: Mapping[str, Any]) -> str:
    """The suite's query with its parameters as SQL literals: the batch filter runs in
    DuckDB. Longer names first, so $batch_id never eats $batch_id_2."""
    for name in sorted(params, key=len, reverse=True):
        query = query.replace(f"${name}", _literal(params[name]))
    return query


class _DuckDBDialect(str):
    """GX keeps one connection for the whole validation only for the dialects it lists
    (sqlite and a few more) and reads results after closing any other; duckdb-engine
    returns no rows then. DuckDB, an embedded file like sqlite, needs the same treatment.
    GX compares this entry with the dialect's name (a str) and reads its `.value`."""

    value = "duckdb"


def _persist_duckdb_connections() -> None:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    if not any(d == "duckdb" for d in engine._PERSISTED_CONNECTION_DIALECTS):
        engine._PERSISTED_CONNECTION_DIALECTS = (
            *engine._PERSISTED_CONNECTION_DIALECTS,
            _DuckDBDialect("duckdb"),
        )


def _context(settings: Settings):
    """An ephemeral context over filesystem stores: suites, results and Data Docs are
    files as in a file context, but datasources and assets stay in memory. A file context
    rewrites great_expectations.yml on every asset change and re-reads its config
    variables on every lookup: 86 YAML saves and 1,200 reads, a third of a small gate."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        FilesystemStoreBackendDefaults,
    )

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    stores = docs_root(settings) / "gx"
    stores.mkdir(parents=True, exist_ok=True)
    config = DataContextConfig(
        store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(stores)),
        analytics_enabled=False,
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


# Data Docs keep the validations of this many most recent gate runs: the index reads
# every stored result on each build, so an unbounded history makes every gate slower
# than the last (a daily run adds 40-odd results a day).
KEEP_GATE_RUNS = 30


def prune_validations(root: Path, started: float, keep: int = KEEP_GATE_RUNS) -> int:
    """Record a gate run that started at `started` (epoch seconds) and delete the stored
    results, and their pages, older than the `keep` most recent runs; returns how many
    results went."""
    log = root / "gx" / "uncommitted" / "gate_runs.txt"
    runs = [float(x) for x in log.read_text().split()] if log.exists() else []
    runs = sorted([*runs, started])[-keep:]
    log.write_text("".join(f"{r:.6f}\n" for r in runs))
    if len(runs) < keep:
        return 0
    results = root / "gx" / "uncommitted" / "validations"
    pages = root / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations"
    gone = 0
    for stored in results.rglob("*.json"):
        if stored.stat().st_mtime < runs[0]:
            stored.unlink()
            page = (pages / stored.relative_to(results)).with_suffix(".html")
            page.unlink(missing_ok=True)
            gone += 1
    return gone


def _suite(gx, spec: dict):
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = gx.ExpectationSuite(name=spec["name"])
    for e in spec["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e.get("meta", {}))
        )
    return suite


Frames = Callable[[Rows, dict], list[tuple[str, dict, dict]]]


class DuckDBSource:
    """GX's SQL datasource on the working DuckDB file, read-only, one persisted
    connection; our own queries (bounds, offenders) share GX's DuckDB instance: a second
    handle with another configuration is refused, and a second instance would double the
    cache."""

    def __init__(self, context: Any, settings: Settings) -> None:
        _persist_duckdb_connections()
        self.source = context.data_sources.add_or_update_sql(
            "salesperf_warehouse",
            connection_string=f"duckdb:///{settings.warehouse}?access_mode=read_only",
        )
        self.engine = self.source.get_execution_engine()
        self.raw = self.engine.engine.raw_connection()
        self.rows = DuckDBRows(self.raw.driver_connection)

    def batch(self, name: str, query: str) -> tuple[Any, dict]:
        # one asset per suite, its query this batch's: the batch filter is SQL
        if name in {a.name for a in self.source.assets}:
            self.source.delete_asset(name)
        asset = self.source.add_query_asset(name, query=query)
        return asset.add_batch_definition_whole_table("whole"), {}

    def close(self) -> None:
        # the connections must not outlive the gate: dbt writes this file next, from
        # another process, and DuckDB lets no writer in while any handle is open
        self.raw.close()
        _release(self.engine)
        self.source.get_engine().dispose()  # the datasource's own engine (its connection test)


def run_suites(
    settings: Settings,
    layer: str,
    frames: Frames,
    open_source: Callable[[Any, Settings], Any] = DuckDBSource,
) -> QualityReport:
    """Validate each (label, query params, suite params) that `frames` yields per suite,
    on the engine `open_source` opens (DuckDB here; salesperf.spark_gate passes Spark's).

    The GX file context is one per project: two processes saving suites into it at once
    (a scheduled run and a manual one, on different warehouses) fail GX's freshness
    check, so validations take turns."""
    root = docs_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".validation.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return _run_suites(settings, layer, frames, open_source)


def _run_suites(
    settings: Settings, layer: str, frames: Frames, open_source: Callable[[Any, Settings], Any]
) -> QualityReport:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    started = time.time()
    context = _context(settings)
    results: list[SuiteResult] = []
    rendered: list = []  # this run's suites and results: the only Data Docs pages rebuilt
    source = open_source(context, settings)
    try:
        rows: Rows = source.rows
        for spec in load_suites(settings, layer):
            query = _projected(rows, spec["meta"]["salesperf"]["query"], _columns_used(spec))
            for label, query_params, suite_params in frames(rows, spec):
                result = SuiteResult(label)
                results.append(result)
                bound = _bound(query, query_params)
                try:
                    rows.columns(bound)
                except QueryFailed as exc:
                    result.error = f"query failed: {exc}"
                    continue
                name = spec["name"]
                suite = context.suites.add_or_update(_suite(gx, spec))
                batch, batch_parameters = source.batch(name, bound)
                validation = context.validation_definitions.add_or_update(
                    gx.ValidationDefinition(name=name, data=batch, suite=suite)
                )
                checkpoint = context.checkpoints.add_or_update(
                    gx.Checkpoint(
                        name=name,
                        validation_definitions=[validation],
                        actions=[],  # results are stored; the docs are built once below
                        result_format="SUMMARY",
                    )
                )
                run = checkpoint.run(
                    batch_parameters=batch_parameters or None,
                    expectation_parameters=suite_params,
                    # Data Docs list the validation under its suite and batch, not
                    # "__none__"
                    run_id=RunIdentifier(run_name=label),
                )
                rendered += [ExpectationSuiteIdentifier(name=name), *run.run_results]
                params = {**query_params, **suite_params}
                for validation_result in run.run_results.values():
                    result.outcomes += [
                        _outcome(r, rows, params) for r in validation_result.results
                    ]
    finally:
        source.close()
    prune_validations(docs_root(settings), started)
    # Rebuilding every stored validation each run made the gate slower with every run
    # (31 s of 72 s after a handful of runs); the index still lists them all.
    context.build_data_docs(resource_identifiers=rendered)
    index = docs_index(settings)
    if index.exists():
        make_offline(index.parent)  # GX's pages load their scripts from CDNs
    return QualityReport(layer, results, index if index.exists() else None)


def _release(engine: Any) -> None:
    """Close the connection GX persisted for DuckDB (its own close() leaves it open when
    the engine was not swapped for a connection) and the pool behind it."""
    persisted = getattr(engine, "_connection", None)
    if persisted is not None:
        persisted.close()
        engine._connection = None
    engine.close()


def _outcome(r: Any, rows: Rows, params: Mapping[str, Any]) -> Outcome:
    raised = bool(r.exception_info.get("raised_exception"))
    detail = r.exception_info.get("exception_message", "") if raised else _detail(r.result)
    if not r.success and not detail:
        # GX answers some errors (a missing column) with an empty result
        detail = "could not be evaluated (no result)"
    offenders = (r.expectation_config.meta or {}).get("offenders")
    if not r.success and not raised and offenders:
        detail += _offenders(rows, offenders, params)
    return Outcome(
        expectation=r.expectation_config.type,
        column=r.expectation_config.kwargs.get("column"),
        severity=(r.expectation_config.meta or {}).get("severity", "error"),
        success=bool(r.success),
        raised=raised,
        detail=detail,
    )


def _offenders(rows: Rows, sql: str, params: Mapping[str, Any]) -> str:
    """The rows an expectation's meta `offenders` query names (up to 5: key, batch, file),
    so a failure says which records to fix, not only which rule broke."""
    try:
        names, found = rows.fetch(_bound(sql, params), limit=5)
    except QueryFailed as exc:
        return f" (the offending rows could not be listed: {exc})"
    listed = "; ".join(
        ", ".join(f"{n} {v}" for n, v in zip(names, row, strict=True)) for row in found
    )
    return f" — {listed}" if listed else ""


def _detail(result: Mapping[str, Any]) -> str:
    if "unexpected_count" in result and result.get("unexpected_count"):
        # up to five values, as a person writes them (SQL gives Decimal('1.5'))
        sample = [
            str(v) if isinstance(v, int | float | Decimal) else repr(v)
            for v in result.get("partial_unexpected_list", [])[:5]
        ]
        return f"{result['unexpected_count']} unexpected, e.g. [{', '.join(sample)}]"
    if "observed_value" in result:
        return f"observed {result['observed_value']}"
    return ""


# ------------------------------------------------------------------------- the two gates


def validate_marts(settings: Settings, serving: Path | None = None) -> QualityReport:
    """The mart suites, with row counts bounded by the currently published version."""
    if settings.engine == "spark":
        from salesperf.spark_gate import gate_on_spark

        return gate_on_spark(settings, "marts", serving=serving)
    return run_suites(settings, "marts", mart_frames(settings, serving))


def validate_raw_batches(settings: Settings, batch_ids: list[str] | None = None) -> QualityReport:
    """The raw suites, once per loaded batch that holds rows of the entity."""
    if settings.engine == "spark":
        if batch_ids == []:
            return QualityReport("raw", [], None)  # nothing new: no Spark to start
        from salesperf.spark_gate import gate_on_spark

        return gate_on_spark(settings, "raw", batch_ids=batch_ids)
    return run_suites(settings, "raw", raw_frames(settings, batch_ids))


def mart_frames(settings: Settings, serving: Path | None) -> Frames:
    published = _published_counts(serving) if serving else {}

    def frames(rows: Rows, spec: dict) -> list[tuple[str, dict, dict]]:
        table = spec["name"].split(".", 1)[1]
        previous = published.get(table)
        months = rows.fetch("select count(*) from intermediate.int_months")[1][0][0]
        params = {
            "published_rows_min": int(previous * 0.5) if previous else 0,
            "published_rows_max": previous * 2 + 50 if previous else None,
            "months_in_period": months,
            "plausible_factor": settings.plausible_factor,
        }
        return [(spec["name"], {}, params)]

    return frames


def raw_frames(settings: Settings, batch_ids: list[str] | None) -> Frames:
    def frames(rows: Rows, spec: dict) -> list[tuple[str, dict, dict]]:
        entity = spec["name"].split(".", 1)[1]
        # the time as text: Spark would hand Python a datetime in the machine's zone
        _, loaded = rows.fetch(
            _bound(
                """select batch_id, rows_loaded,
                    cast(max(loaded_at) over (partition by batch_id) as string)
                from raw._load_manifest
                where entity = $entity and status = 'loaded' and rows_loaded > 0
                order by batch_id""",
                {"entity": entity},
            )
        )
        out = []
        for i, (batch_id, _, loaded_at) in enumerate(loaded):
            if batch_ids is not None and batch_id not in batch_ids:
                continue
            recent = [r[1] for r in loaded[max(0, i - 5) : i]]
            typical = sorted(recent)[len(recent) // 2] if recent else None
            params = {
                "company_founded": COMPANY_FOUNDED,
                "batch_loaded_at": str(loaded_at)[:19].replace(" ", "T"),
                "volume_min": 0,
                # a delta far bigger than the recent ones is worth a look (a re-export?)
                "volume_max": max(typical * 50, 10_000) if typical else None,
            }
            out.append((f"{spec['name']}@{batch_id}", {"batch_id": batch_id}, params))
        return out

    return frames


def _published_counts(serving: Path) -> dict[str, int]:
    if not serving.exists():
        return {}
    with duckdb.connect(str(serving), read_only=True) as con:
        return {
            t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
            for t in mart_tables(con)
        }
