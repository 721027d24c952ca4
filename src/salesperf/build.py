"""Run the dbt project in-process (dbtRunner: ~1 s of overhead instead of ~6 s a CLI call)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from salesperf.errors import UserError
from salesperf.settings import Settings


class BuildFailed(Exception):
    """dbt ran but a model or test failed: the message names each failing node."""


@contextmanager
def temporary_environment(values: dict[str, str]):
    """Set environment variables for the duration of a block (profiles.yml reads them)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def dbt_vars(settings: Settings, as_of_date: str | None = None) -> dict[str, str]:
    as_of = as_of_date if as_of_date is not None else settings.as_of_date
    if as_of:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise UserError(f"as-of date {as_of!r} is not a date: use YYYY-MM-DD") from None
    return {"as_of_date": as_of} if as_of else {}


def dbt_args(settings: Settings, command: str, extra: Sequence[str] = ()) -> list[str]:
    # Spark's compiled project stays beside its tables: target/manifest.json is the
    # DuckDB one that Dagster and the docs read
    target = settings.spark_dir / "target" if settings.engine == "spark" else None
    return [
        *command.split(),  # "docs generate" is a command of two words
        "--project-dir",
        str(settings.project_dir),
        "--profiles-dir",
        str(settings.project_dir),
        "--target",
        settings.dbt_target,
        "--log-path",
        str((target or settings.project_dir / "target") / "logs"),
        *(["--target-path", str(target)] if target and "--target-path" not in extra else []),
        *extra,
    ]


def run_dbt(settings: Settings, command: str, extra: Sequence[str] = ()) -> object:
    """Invoke one dbt command; raise BuildFailed naming every node that did not pass."""
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt is really needed

    if not settings.warehouse.exists() and command in ("build", "run", "test"):
        raise UserError(
            f"warehouse {settings.warehouse} does not exist: load extracts first "
            "(salesperf load PATH, or salesperf run)"
        )
    with temporary_environment(dbt_environment(settings)):
        try:
            result = dbtRunner().invoke(dbt_args(settings, command, extra))
        finally:
            _release_duckdb()
    if result.success:
        return result.result
    if result.exception is not None:
        raise BuildFailed(f"dbt {command} could not run: {result.exception}")
    failures = failed_nodes(
        [
            {
                "unique_id": r.node.unique_id,
                "status": str(r.status),
                "message": r.message,
                "compiled_code": getattr(r.node, "compiled_code", None),
            }
            for r in getattr(result.result, "results", []) or []
        ],
        settings,
    )
    raise BuildFailed(
        f"dbt {command} failed ({len(failures)} node(s)): "
        + "; ".join(f"{node}: {message}" for node, message in failures[:10])
    )


def failed_nodes(results: Sequence[Mapping], settings: Settings) -> list[tuple[str, str]]:
    """(node, message) for each node that errored or failed, from results shaped as in
    dbt's run_results.json, however dbt was started; a failing test also names up to five
    of its offending rows, so the message says which records to fix."""
    return [
        (
            r["unique_id"],
            (r.get("message") or "").strip()
            + (
                offending_rows(settings, r.get("compiled_code") or "")
                if r["status"] == "fail"
                else ""
            ),
        )
        for r in results
        if r["status"] in ("error", "fail")
    ]


def offending_rows(settings: Settings, compiled_sql: str, limit: int = 5) -> str:
    """Up to `limit` rows a failing dbt test returned, as ' — e.g. col value, ...; ...', so
    the failure names the records to fix and not only the test (empty if unavailable)."""
    import duckdb

    if not compiled_sql.strip() or not settings.warehouse.exists():
        return ""
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            cursor = con.execute(f"select * from ({compiled_sql}) as failing limit {limit}")
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
    except duckdb.Error:
        return ""
    shown = "; ".join(
        ", ".join(f"{n} {v}" for n, v in zip(names, row, strict=True)) for row in rows
    )
    return f" — e.g. {shown}" if shown else ""


def _release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB handle open for the life of the process; close it so
    the next step (a read-only report, the loader) can open the file."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
    DuckDBConnectionManager.close_all_connections()


# A data refresh runs the models and their data tests; dbt unit tests check SQL logic
# against fixed inputs, so they run where the SQL changes (make test), not on every load:
# at 1 M activities they were half the node time of a build.
DATA_RUN = ("--exclude-resource-type", "unit_test")


def build_args(
    settings: Settings,
    *,
    full_refresh: bool = False,
    as_of_date: str | None = None,
    select: str | None = None,
    unit_tests: bool = False,
) -> list[str]:
    """The flags of a `dbt build`, whichever way dbt is started: in-process here, or by
    Dagster's dbt resource (a CLI process whose events become asset materializations
    and checks), so both build the same nodes with the same variables."""
    args = ["--vars", json.dumps(dbt_vars(settings, as_of_date))]
    if not unit_tests:
        args += DATA_RUN
    if full_refresh:
        args.append("--full-refresh")
    if select:
        args += ["--select", select]
    return args


def dbt_environment(settings: Settings) -> dict[str, str]:
    """The variables dbt reads (profiles.yml's env_var calls): the settings' paths and
    limits, and on Spark the session's own (dbt opens its Spark session itself)."""
    if settings.engine == "spark":
        from salesperf.spark import spark_environment  # spark imports this module

        return {**settings.dbt_env, **spark_environment(settings)}
    return settings.dbt_env


def build(
    settings: Settings,
    *,
    full_refresh: bool = False,
    as_of_date: str | None = None,
    select: str | None = None,
    unit_tests: bool = False,
) -> None:
    args = build_args(
        settings,
        full_refresh=full_refresh,
        as_of_date=as_of_date,
        select=select,
        unit_tests=unit_tests,
    )
    result = run_dbt(settings, "build", args)
    if select and not getattr(result, "results", None):
        raise UserError(
            f"--select {select!r} matches no dbt node: use a model name, a path "
            "(models/marts/sdr), a tag or a graph operator (+kpi_sdr_monthly)"
        )


def docs_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "docs"  # beside the warehouse it documents


def scheduled_target(settings: Settings) -> Path:
    """Where the scheduled run's dbt build compiles to and keeps its parse: beside the
    warehouse (Spark's beside its tables). dbt reparses the whole project (~10 s) when
    the profile - the warehouse's path - differs from the parse it finds; kept per
    warehouse, each day's run finds its own."""
    if settings.engine == "spark":
        return settings.spark_dir / "target"
    return settings.warehouse.parent / "dbt_target"


def generate_docs(settings: Settings) -> Path:
    """dbt's docs site (lineage, every model and column described, row counts from the
    warehouse's catalog) into warehouse/docs; static_index.html opens from disk."""
    out = docs_dir(settings)
    out.mkdir(parents=True, exist_ok=True)
    flags = ["--static", "--target-path", str(out), "--quiet", "--no-use-colors"]
    flags += ["--vars", json.dumps(dbt_vars(settings))]  # the build's, so its parse serves
    if settings.engine == "spark":
        # no row counts: reading Spark's catalog here would open its metastore in this
        # process, which the next run's dbt (another process) then could not open
        settings = dataclasses.replace(settings, engine="duckdb", dbt_target="duckdb")
        flags.append("--empty-catalog")
    parsed = manifest_path(settings)
    if parsed.exists():
        # the project is already parsed: reuse it and skip compiling every node (12 s -> 5 s)
        shutil.copyfile(parsed, out / "manifest.json")
        flags.append("--no-compile")
    build_parse = scheduled_target(settings) / "partial_parse.msgpack"
    if settings.engine == "duckdb" and build_parse.exists():
        # the build just parsed the project with this profile: no second full parse
        shutil.copyfile(build_parse, out / "partial_parse.msgpack")
    run_dbt(settings, "docs generate", flags)
    return out / "static_index.html"


def manifest_path(settings: Settings) -> Path:
    return settings.project_dir / "target" / "manifest.json"
