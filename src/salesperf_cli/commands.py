"""`salesperf`: the one console script. Every step is a plain function of `salesperf`
(the library) or `orchestration` (the Dagster job), called from here; neither of those
packages imports this one.

Failures print one line on stderr and exit non-zero; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from salesperf.errors import UserError
from salesperf.settings import Settings, load_settings


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_generate(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.generate import GeneratorConfig, generate

    base = GeneratorConfig.for_scale(args.scale) if args.scale else GeneratorConfig()
    cfg = GeneratorConfig(
        seed=args.seed,
        reps=args.reps or base.reps,
        months=args.months,
        start=args.start,
        delta_days=args.delta_days,
        file_format=args.format,
    )
    out = args.out or settings.landing / f"sample-seed{cfg.seed}"
    started = time.perf_counter()
    counts = generate(cfg, out, progress=say)
    total = sum(counts.values())
    say(
        f"generated {total:,} rows ({counts.get('activities', 0):,} activities) "
        f"in {time.perf_counter() - started:.1f}s -> {out}"
    )


def cmd_load(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.run_lock import exclusive_run

    path = Path(args.path)
    if args.mapping:
        path = map_exports([path], args.mapping, settings)
    with exclusive_run(settings, wait=args.wait):
        load(path, settings)


def map_exports(exports: Sequence[Path], mappings: Sequence[str], settings: Settings) -> Path:
    """Apply one mapping per export folder (paired in order); return the folder of the
    contract batches they produced, ready for the loader."""
    from dataclasses import replace

    from salesperf.mapping import apply, read_mapping

    if len(exports) != len(mappings):
        raise UserError(
            f"{len(exports)} --extracts and {len(mappings)} --mapping: give one mapping per "
            "extracts folder, in the same order"
        )
    parsed = [read_mapping(m) for m in mappings]
    names = [m.name for m in parsed]
    if len(set(names)) != len(names):
        raise UserError(
            f"two sources are named {max(names, key=names.count)!r}: copy the mapping file "
            "and give each source its own `name`"
        )
    if len(parsed) > 1:
        # several CRMs in one warehouse: ids stay distinct by their source's name
        parsed = [m if m.id_prefix else replace(m, id_prefix=f"{m.name}:") for m in parsed]
    out = settings.landing / "_mapped"
    for mapping, export in zip(parsed, exports, strict=True):
        batches, _ = apply(mapping, export, out)
        say(f"mapped {export} with {mapping.name} ({mapping.path}): {len(batches)} batch(es)")
    return out


def cmd_mapping_check(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.mapping import check, format_report, read_mapping

    mapping = read_mapping(args.mapping)
    export = Path(args.path)
    print(format_report(mapping, export, check(mapping, export)))


def load(path: Path, settings: Settings) -> None:
    from salesperf.load import load_path

    started = time.perf_counter()
    results = load_path(settings.warehouse, path, progress=say, config=settings.duckdb_config)
    loaded = sum(r.loaded for r in results)
    quarantined = sum(r.quarantined for r in results)
    say(
        f"loaded {loaded:,} rows, quarantined {quarantined:,} "
        f"in {time.perf_counter() - started:.1f}s -> {settings.warehouse}"
    )
    if quarantined:
        say("  quarantined rows and their reasons: table raw._quarantine")


def cmd_build(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.run_lock import exclusive_run

    with exclusive_run(settings, wait=args.wait):
        _build(args, settings)


def _build(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.build import build

    started = time.perf_counter()
    if settings.engine == "spark":
        from salesperf.spark import build_on_spark

        if args.select or args.unit_tests:
            raise UserError("--select and --unit-tests are for the DuckDB engine")
        build_on_spark(
            settings, full_refresh=args.full_refresh, as_of_date=args.as_of, progress=say
        )
        return
    build(
        settings,
        full_refresh=args.full_refresh,
        as_of_date=args.as_of,
        select=args.select,
        unit_tests=args.unit_tests,
    )
    say(f"dbt build finished in {time.perf_counter() - started:.1f}s")


def cmd_kpis(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.report import kpi_report, leaderboard_report, scorecard_report
    from salesperf.warehouse_io import serving_path

    published = serving_path(settings)
    if args.pipeline is not None:
        from salesperf.pipeline_review import pipeline_report

        print(pipeline_report(published, args.pipeline or None, top=args.top or 5))
    elif args.statement:
        from salesperf.statement import statement_report

        print(statement_report(published, args.statement, args.period))
    elif args.scorecard:
        print(scorecard_report(published, args.scorecard))
    elif args.leaderboard:
        if not args.role:
            raise UserError("--leaderboard needs --role SDR, AE or AM")
        top = args.top or 10
        print(leaderboard_report(published, args.leaderboard, args.role, args.period, top))
    else:
        if args.role or args.period:
            raise UserError(
                "--role and --period go with --leaderboard (--period also with --statement)"
            )
        print(kpi_report(published, month=args.month, top=args.top or 3))


def cmd_run(args: argparse.Namespace, settings: Settings) -> None:
    """Everything, as one Dagster run in this process: (generate,) load, build, report.
    The warehouse is held for the whole run, decided before anything is touched."""
    from salesperf.run_lock import exclusive_run

    with exclusive_run(settings, wait=args.wait):
        _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.generate import GeneratorConfig, generate
    from salesperf.load import find_batches
    from salesperf.report import kpi_report

    started = time.perf_counter()
    extracts = Path(args.extracts[0]) if args.extracts else None
    if args.mapping:
        extracts = map_exports([Path(e) for e in args.extracts or []], args.mapping, settings)
    elif args.extracts and len(args.extracts) > 1:
        raise UserError("several --extracts need one --mapping each (see `salesperf mapping`)")
    if extracts is None:
        cfg = GeneratorConfig(seed=args.seed)
        extracts = settings.landing / f"sample-seed{cfg.seed}"
        if not extracts.exists():
            say(f"no --extracts given: generating the default sample into {extracts}")
            generate(cfg, extracts, progress=say)
        else:
            say(f"no --extracts given: using the sample already in {extracts}")
    find_batches(extracts)  # a bad path is the user's to fix: say so before starting a run
    if args.as_of:
        from salesperf.build import dbt_vars

        dbt_vars(settings, args.as_of)
    if settings.engine == "spark":
        from salesperf.spark import require_pyspark

        require_pyspark()  # before loading anything: say what to install first
    from orchestration.runner import run_pipeline

    say(f"running the pipeline in-process on {settings.engine}: one line per step as it finishes")
    result = run_pipeline(
        settings, extracts, as_of_date=args.as_of or "", full_refresh=args.full_refresh
    )
    from orchestration.runner import dbt_log_path
    from salesperf.build import docs_dir
    from salesperf.dashboard import dashboard_dir
    from salesperf.notices import data_notices
    from salesperf.publish import current_version
    from salesperf.quality import docs_index
    from salesperf.warehouse_io import parquet_dir, serving_path

    for notice in data_notices(settings.marts_source):
        say(f"warning: {notice}")
    print(kpi_report(serving_path(settings)))
    say(
        f"done in {time.perf_counter() - started:.1f}s (Dagster run {result.run_id})\n"
        f"  working warehouse: {settings.warehouse}\n"
        f"  dbt's log of this run: {dbt_log_path(settings)}\n"
        f"  published (BI, read-only): {serving_path(settings)} "
        f"version {current_version(settings)}\n"
        f"  marts as Parquet: {parquet_dir(settings)}\n"
        f"  Great Expectations Data Docs: {docs_index(settings)}\n"
        f"  dbt docs: {docs_dir(settings) / 'static_index.html'} (make docs serves it)\n"
        f"  TV leaderboard: {dashboard_dir(settings) / 'tv.html'}"
        + (
            f"\n  Spark: raw lake {settings.lake}, metastore and tables {settings.spark_dir}, "
            f"marts exported for publish {settings.marts_source}"
            if settings.engine == "spark"
            else ""
        )
    )
    print(f"dashboard: {dashboard_dir(settings) / 'index.html'}")


def cmd_report(args: argparse.Namespace, settings: Settings) -> None:
    from salesperf.dashboard import write_dashboard

    pages = write_dashboard(settings, args.out)
    say(f"TV leaderboard: {pages.tv}")
    print(f"dashboard: {pages.index}")


def cmd_metrics(args: argparse.Namespace, settings: Settings) -> None:
    """MetricFlow's `mf` on the published marts, read-only: `salesperf metrics query
    --metrics win_rate --group-by metric_time__month,rep__team_id`."""
    from salesperf.metrics import query_table, run_mf

    mf_args = args.mf_args or ["list", "metrics"]
    wants_raw = any(a in ("--help", "-h", "--csv", "--explain") for a in mf_args)
    if mf_args[0] == "query" and not wants_raw:
        # ordered rows and plain numbers (mf's own table is unordered, 9.94652e+06)
        print(query_table(settings, mf_args))
        return
    run_mf(settings, mf_args)


def cmd_docs(args: argparse.Namespace, settings: Settings) -> None:
    """Serve dbt's docs site (generated by each run) on loopback."""
    import subprocess

    from salesperf.build import docs_dir, generate_docs

    docs = docs_dir(settings)
    if not (docs / "catalog.json").exists():
        say(f"no docs in {docs} yet: generating them from {settings.warehouse}")
        generate_docs(settings)
    dbt = Path(sys.executable).with_name("dbt")
    say(f"dbt docs on http://127.0.0.1:{args.port} (from {docs}); Ctrl-C stops it")
    command = [str(dbt), "docs", "serve", "--host", "127.0.0.1", "--port", str(args.port)]
    command += ["--no-browser", "--project-dir", str(settings.project_dir)]
    command += ["--profiles-dir", str(settings.project_dir), "--target-path", str(docs)]
    raise SystemExit(subprocess.call(command, env=os.environ | settings.dbt_env))


def cmd_rollback(args: argparse.Namespace, settings: Settings) -> None:
    """Every reader moves together: the serving file, its Parquet copy, the dashboard and
    the TV board all show the version rolled back to."""
    from salesperf.dashboard import write_dashboard
    from salesperf.publish import export_parquet, rollback
    from salesperf.run_lock import exclusive_run
    from salesperf.warehouse_io import serving_path

    with exclusive_run(settings, wait=False):
        version = rollback(settings)
        export_parquet(settings)
        pages = write_dashboard(settings)
    say(
        f"now serving version {version} at {serving_path(settings)}; Parquet and the "
        f"dashboard ({pages.index}) follow it. The withdrawn data will not be published "
        "again unless they change."
    )


def cmd_connect(args: argparse.Namespace, settings: Settings) -> None:
    """How a BI tool or an analyst connects to the published marts, read-only."""
    from salesperf.warehouse_io import parquet_dir, serving_path, sqlalchemy_url

    serving = serving_path(settings)
    if not serving.exists():
        raise UserError(f"nothing published yet at {serving}: run `salesperf run` first")
    print(
        f"serving file (read-only; schema marts): {serving}\n"
        f"SQLAlchemy URL (Superset, pandas, Jupyter; duckdb-engine):\n  {sqlalchemy_url(serving)}\n"
        "  keep no connection open between queries (NullPool) to see each new version\n"
        f"Metabase (DuckDB driver): database file {serving}, read only: on\n"
        f"DuckDB CLI: duckdb -readonly {serving}\n"
        f"Parquet (one file per mart): {parquet_dir(settings)}/*.parquet"
    )


def cmd_reset(args: argparse.Namespace, settings: Settings) -> None:
    """Delete the warehouse and what was made from it; keep the virtual environment, the
    landing files and the Dagster instance's history."""
    import shutil

    from salesperf.build import docs_dir
    from salesperf.dashboard import dashboard_dir
    from salesperf.warehouse_io import serving_dir

    warehouse = settings.warehouse
    made = [
        warehouse,
        Path(f"{warehouse}.wal"),
        settings.duckdb_temp_dir,
        serving_dir(settings),
        dashboard_dir(settings),
        docs_dir(settings),
        settings.spark_dir,
    ]
    present = [p for p in made if p.exists()]
    if not args.yes:
        listed = ", ".join(str(p) for p in present) or "nothing"
        raise UserError(f"reset would delete {listed}: run `salesperf reset --yes` to do it")
    for path in present:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    say(f"reset: deleted {len(present)} item(s); the next run starts a new warehouse")


def cmd_ui(args: argparse.Namespace, settings: Settings) -> None:
    """Dagster's webserver and daemon on loopback, on the project-local instance."""
    import os
    import subprocess

    from orchestration.resources import ensure_dagster_home

    home = ensure_dagster_home(settings)
    dagster = Path(sys.executable).with_name("dagster")
    say(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={home}); Ctrl-C stops it")
    env = os.environ | {"DAGSTER_HOME": str(home)}
    command = [str(dagster), "dev", "-m", "orchestration.definitions"]
    command += ["-h", "127.0.0.1", "-p", str(args.port)]
    raise SystemExit(subprocess.call(command, env=env, cwd=settings.project_dir))


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(kind: type):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
        if number <= 0:
            raise argparse.ArgumentTypeError(f"{value!r} must be above zero")
        return number

    return parse


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("salesperf")
    except PackageNotFoundError:
        return "unknown"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="salesperf",
        description="Sales-performance warehouse: CRM extracts -> DuckDB -> dbt KPI marts.",
    )
    p.add_argument("--version", action="version", version=f"salesperf {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="write realistic sample extract batches")
    g.add_argument("--out", type=Path, help="output folder (default: data/landing/sample-seedN)")
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--reps", type=_positive(int), help="number of reps (default 60)")
    g.add_argument("--scale", type=_positive(float), help="size multiplier: 1 = 60 reps")
    g.add_argument("--months", type=_positive(int), default=12)
    g.add_argument("--start", type=_date, default=date(2025, 1, 1))
    g.add_argument("--delta-days", type=int, default=5, help="daily delta batches at the end")
    g.add_argument("--format", choices=("csv", "parquet"), default="csv")
    g.set_defaults(func=cmd_generate)

    ld = sub.add_parser("load", help="load extract batches into the raw layer")
    ld.add_argument("path", help="a batch folder, or a folder of batch folders")
    ld.add_argument("--mapping", action="append", help="salesforce, hubspot or FILE.yml")
    ld.add_argument("--wait", action="store_true", help="wait for a run holding the warehouse")
    ld.set_defaults(func=cmd_load)

    b = sub.add_parser("build", help="dbt build: staging, facts, KPI marts and their tests")
    b.add_argument("--full-refresh", action="store_true")
    b.add_argument("--as-of", help="compute the marts as of this date (YYYY-MM-DD)")
    b.add_argument("--select", help="dbt node selection")
    b.add_argument(
        "--unit-tests", action="store_true", help="also run dbt's unit tests (make test does)"
    )
    b.add_argument("--wait", action="store_true", help="wait for a run holding the warehouse")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("run", help="everything: (generate,) load, build, print the KPIs")
    r.add_argument(
        "--extracts",
        action="append",
        help="your extract batches, or a CRM export with --mapping (default: generated sample)",
    )
    r.add_argument(
        "--mapping",
        action="append",
        help="salesforce, hubspot or FILE.yml: how the export maps onto the contract "
        "(repeat --extracts and --mapping in pairs for several CRMs)",
    )
    r.add_argument("--seed", type=int, default=7, help="seed of the default sample")
    r.add_argument("--full-refresh", action="store_true")
    r.add_argument("--as-of", help="compute the marts as of this date (YYYY-MM-DD)")
    r.add_argument("--wait", action="store_true", help="wait for a run holding the warehouse")
    r.set_defaults(func=cmd_run)

    mp = sub.add_parser("mapping", help="CRM export mappings")
    msub = mp.add_subparsers(dest="mapping_command", required=True)
    mc = msub.add_parser("check", help="what a load of the export would do; loads nothing")
    mc.add_argument("path", help="the export folder (or a folder of dated export folders)")
    mc.add_argument("--mapping", required=True, help="salesforce, hubspot or FILE.yml")
    mc.set_defaults(func=cmd_mapping_check)

    rb = sub.add_parser("rollback", help="serve the previously published version again")
    rb.set_defaults(func=cmd_rollback)

    cn = sub.add_parser("connect", help="how a BI tool connects to the published marts")
    cn.set_defaults(func=cmd_connect)

    rs = sub.add_parser(
        "reset",
        help="delete the warehouse and what was published from it (to load other extracts)",
    )
    rs.add_argument("--yes", action="store_true", help="really delete")
    rs.set_defaults(func=cmd_reset)

    rp = sub.add_parser(
        "report", help="write the HTML dashboard and TV leaderboard from the published marts"
    )
    rp.add_argument("--out", type=Path, help="folder (default: warehouse/dashboard)")
    rp.set_defaults(func=cmd_report)

    mt = sub.add_parser(
        "metrics",
        help="MetricFlow (mf) on the published marts, e.g. `metrics query --metrics win_rate "
        "--group-by metric_time__month`; no arguments lists the metrics",
        add_help=False,  # --help goes to mf
    )
    mt.add_argument("mf_args", nargs=argparse.REMAINDER)
    mt.set_defaults(func=cmd_metrics)

    dc = sub.add_parser("docs", help="serve dbt's docs site on 127.0.0.1")
    dc.add_argument("--port", type=_positive(int), default=8080)
    dc.set_defaults(func=cmd_docs)

    u = sub.add_parser("ui", help="start Dagster's webserver and daemon on 127.0.0.1")
    u.add_argument("--port", type=_positive(int), default=3000)
    u.set_defaults(func=cmd_ui)

    k = sub.add_parser(
        "kpis",
        help="print the latest complete month's KPIs and top reps, a leaderboard, a scorecard "
        "a pipeline review or a commission statement",
    )
    k.add_argument("--month", help="YYYY-MM (default: the latest complete month)")
    k.add_argument(
        "--top", type=_positive(int), default=None, help="rows per table (3; 10 on boards)"
    )
    view = k.add_mutually_exclusive_group()
    view.add_argument(
        "--leaderboard", metavar="METRIC", help="rank a role's reps and teams on METRIC"
    )
    view.add_argument("--scorecard", metavar="REP", help="a rep's goals: user id or full name")
    view.add_argument(
        "--pipeline",
        metavar="WHO",
        nargs="?",
        const="",
        help="the pipeline review of a rep or team (id or name), or of the company (no WHO)",
    )
    view.add_argument(
        "--statement",
        metavar="REP",
        help="a rep's commission statement for --period YYYY-MM, line by line",
    )
    k.add_argument("--role", help="SDR, AE or AM (with --leaderboard)")
    k.add_argument(
        "--period",
        help="YYYY-MM, YYYY-Qn or YYYY-Www (with --leaderboard; default: as-of month); "
        "YYYY-MM with --statement",
    )
    k.set_defaults(func=cmd_kpis)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["metrics"]:
        # everything after `metrics` is MetricFlow's, --help included: argparse would
        # claim the options it knows
        args = argparse.Namespace(func=cmd_metrics, mf_args=argv[1:])
    else:
        args = parser().parse_args(argv)
    from salesperf.build import BuildFailed
    from salesperf.run_lock import WarehouseBusy

    try:
        args.func(args, load_settings())
    except UserError as exc:
        say(f"error: {exc}")
        return 2
    except WarehouseBusy as exc:
        say(f"error: {exc}")
        return 1
    except BuildFailed as exc:
        message = str(exc)
        if "no space left on device" in message.lower() and "No space left" not in message[:200]:
            message = f"No space left on device: {message}"
        say(f"error: {message}")
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except OSError as exc:
        say(f"error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "))
        return 1 if exc.errno == errno.ENOSPC else 2
    except Exception as exc:  # a full disk or a DuckDB lock is still one clear line
        import duckdb

        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "no space left on device" in str(exc).lower():
            say(f"error: No space left on device: {first}")
            return 1
        if isinstance(exc, duckdb.IOException):
            say(f"error: {first} (is another salesperf or dagster process using the warehouse?)")
            return 1
        raise
    return 0
