"""One measured stage of the benchmark, run as its own process so its peak RSS is its own.

    python benchmarks/stages.py STAGE --landing DIR --work DIR [--memory-limit 4GB]

Prints one JSON object (seconds, row counts, equality) on the last line of stdout.
benchmarks/run.py runs these and reads the peak RSS of each with os.wait4.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path[:0] = [str(BENCH), str(PROJECT / "src"), str(PROJECT)]

from salesperf.settings import Settings, load_settings  # noqa: E402
from salesperf.warehouse_io import mart_tables  # noqa: E402

# the three marts both baselines compute, and their keys
MARTS = {
    "kpi_company_monthly": ["month"],
    "kpi_sdr_monthly": ["sdr_user_id", "month"],
    "kpi_ae_monthly": ["ae_user_id", "month"],
}
TOLERANCE = 1e-6  # relative, for numbers summed in a different order
MONEY, CENT = "DECIMAL(38,2)", 0.01
RULESET = "bant_50_v1"


def settings_for(work: Path, memory_limit: str) -> Settings:
    return load_settings(
        {
            "SALESPERF_WAREHOUSE": str(work / "warehouse.duckdb"),
            "SALESPERF_LANDING": str(work / "landing"),
            "SALESPERF_DUCKDB_MEMORY_LIMIT": memory_limit,
            "SALESPERF_DUCKDB_TEMP_DIR": str(work / "spill"),
            "DAGSTER_HOME": str(work / "dagster"),
        }
    )


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - started, 3)


def progress(message: str) -> None:
    """A long stage says what it has measured so far (stderr: the run's log), so a failure
    later in the stage does not lose it."""
    print(f"[stage {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def mismatches(con: duckdb.DuckDBPyConnection, expected: str, got: str, keys: list[str]) -> list:
    """Rows that differ between two relations: missing on either side, or a column whose
    values differ (numbers beyond the relative tolerance)."""
    columns = [
        r[0]
        for r in con.execute(f"select * from {expected} limit 0").description  # type: ignore[union-attr]
    ]
    got_columns = [r[0] for r in con.execute(f"select * from {got} limit 0").description]  # type: ignore[union-attr]
    if columns != got_columns:
        return [f"columns differ: {columns} vs {got_columns}"]
    on = " and ".join(f"e.{k} is not distinct from g.{k}" for k in keys)
    # the marts round money to the cent from sums taken in their own order: a cent apart
    money = {r[0] for r in con.execute(f"describe {expected}").fetchall() if r[1] == MONEY}
    differs = " or ".join(
        f"""not (e.{c} is not distinct from g.{c}
            or abs(try_cast(e.{c} as double) - try_cast(g.{c} as double))
                <= {CENT if c in money else 0}
                    + {TOLERANCE} * greatest(1, abs(try_cast(e.{c} as double))))"""
        for c in columns
        if c not in keys
    )
    return con.execute(
        f"""select {", ".join(f"coalesce(e.{k}, g.{k})" for k in keys)}
        from {expected} as e full join {got} as g on {on}
        where e.{keys[0]} is null or g.{keys[0]} is null or {differs}
        limit 5"""
    ).fetchall()


def node_time(run_results: Path) -> tuple[float, float]:
    """(seconds during which at least one node was executing SQL, sum of node times).
    With 2 threads the sum exceeds the wall time, so dbt's overhead is the wall time
    minus the union of the nodes' execute intervals: when no SQL of ours was running."""
    from datetime import datetime

    results = json.loads(run_results.read_text())["results"]
    intervals = sorted(
        (
            datetime.fromisoformat(t["started_at"].rstrip("Z")),
            datetime.fromisoformat(t["completed_at"].rstrip("Z")),
        )
        for r in results
        for t in r["timing"]
        if t["name"] == "execute" and t.get("started_at")
    )
    busy = 0.0
    current_start, current_end = None, None
    for start, end in intervals:
        if current_end is None or start > current_end:
            if current_end is not None:
                busy += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        busy += (current_end - current_start).total_seconds()
    return busy, sum(r["execution_time"] for r in results)


def stage_generate(args: argparse.Namespace) -> dict:
    from salesperf.generate import GeneratorConfig, generate

    # two daily deltas: the last one is a plain day (the first also carries late rows).
    # No comp plans: B1 and B2 reproduce CAC from delivered costs, without commissions
    cfg = GeneratorConfig.for_scale(
        args.scale, seed=args.seed, delta_days=2, file_format="parquet", comp_plans=False
    )
    shutil.rmtree(args.landing, ignore_errors=True)
    counts, seconds = timed(lambda: generate(cfg, args.landing))
    return {"generate_s": seconds, "rows": sum(counts.values()), "activities": counts["activities"]}


def stage_pipeline(args: argparse.Namespace) -> dict:
    """Load, raw quality, dbt build, mart quality, publish: `salesperf run`'s steps."""
    from salesperf.build import DATA_RUN, build, run_dbt
    from salesperf.load import load_path
    from salesperf.publish import publish
    from salesperf.quality import validate_marts, validate_raw_batches

    shutil.rmtree(args.work, ignore_errors=True)
    settings = settings_for(args.work, args.memory_limit)
    results, load_s = timed(
        lambda: load_path(settings.warehouse, args.landing, config=settings.duckdb_config)
    )
    raw_quality_s = None
    if not args.skip_raw_quality:
        _, raw_quality_s = timed(lambda: validate_raw_batches(settings))
    # dbt parses the project once per profile (a daily run reuses target/'s parse), so the
    # parse is timed on its own and the builds below measure the steady state
    _, parse_s = timed(lambda: run_dbt(settings, "parse"))
    # first only what the baselines compute: the three marts and everything under them,
    # with their data tests; then the whole project from scratch
    lineage = ["--select", " ".join(f"+{m}" for m in MARTS), "--indirect-selection", "cautious"]
    _, build3_s = timed(lambda: run_dbt(settings, "build", [*lineage, *DATA_RUN]))
    busy3_s, _ = node_time(PROJECT / "target" / "run_results.json")
    _, build_s = timed(lambda: build(settings, full_refresh=True))
    busy_s, nodes_s = node_time(PROJECT / "target" / "run_results.json")
    mart_report, mart_quality_s = timed(lambda: validate_marts(settings))
    _, publish_s = timed(lambda: publish(settings))
    return {
        "load_s": load_s,
        "rows_loaded": sum(r.loaded for r in results),
        "rows_quarantined": sum(r.quarantined for r in results),
        "raw_quality_s": raw_quality_s,
        "dbt_parse_s": parse_s,
        "dbt_build3_s": build3_s,
        "dbt_overhead3_s": round(build3_s - busy3_s, 3),
        "dbt_build_s": build_s,
        "dbt_nodes_s": round(nodes_s, 3),
        "dbt_busy_s": round(busy_s, 3),
        "dbt_overhead_s": round(build_s - busy_s, 3),
        "mart_quality_s": mart_quality_s,
        "marts_pass": mart_report.passed,
        "publish_s": publish_s,
        "duckdb_file_mb": round(settings.warehouse.stat().st_size / 2**20, 1),
    }


def stage_b1(args: argparse.Namespace) -> dict:
    script = (BENCH / "b1_hand_written.sql").read_text()
    script = script.replace("{landing}", str(args.landing)).replace("{ruleset}", RULESET)
    script = script.replace("{seeds}", str(PROJECT / "seeds"))
    temp = args.work / "b1_spill"
    con = duckdb.connect(config={"memory_limit": args.memory_limit, "temp_directory": str(temp)})
    _, seconds = timed(lambda: con.execute(script))
    warehouse = settings_for(args.work, args.memory_limit).warehouse
    con.execute(f"attach '{warehouse}' as w (read_only)")
    diffs = {m: mismatches(con, f"w.marts.{m}", f"b1_{m}", keys) for m, keys in MARTS.items()}
    return {"b1_s": seconds, "b1_equal": not any(diffs.values()), "b1_diffs": repr(diffs)[:500]}


def stage_b2(args: argparse.Namespace) -> dict:
    import b2_pandas

    out, seconds = timed(lambda: b2_pandas.compute(args.landing, PROJECT / "seeds", RULESET))
    warehouse = settings_for(args.work, args.memory_limit).warehouse
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as w (read_only)")
    diffs = {}
    for mart, keys in MARTS.items():
        con.register(f"frame_{mart}", out[mart])  # type: ignore[index]
        casts = ", ".join(
            f"{c}::date as {c}" if c == "month" else c
            for c in out[mart].columns  # type: ignore[index]
        )
        con.execute(f"create temp table b2_{mart} as select {casts} from frame_{mart}")
        diffs[mart] = mismatches(con, f"w.marts.{mart}", f"b2_{mart}", keys)
    return {"b2_s": seconds, "b2_equal": not any(diffs.values()), "b2_diffs": repr(diffs)[:500]}


def mart_checksums(warehouse: Path, config: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Each mart's row count and the sum of its rows' hashes: equal for equal multisets of
    rows, whatever their order, and a different sum for different rows except by a 64-bit
    hash accident. One streaming pass per table under the run's memory limit: comparing
    the tables themselves (`except all`) at L spilled more than the disk had (108 M
    activities), and keeping a copy of the marts to compare with cost 4 GB more."""
    with duckdb.connect(str(warehouse), read_only=True, config=config) as con:
        out = {}
        for table in mart_tables(con):
            # _built_at says which run wrote a row: lineage, not content
            columns = {r[0] for r in con.execute(f"describe marts.{table}").fetchall()}
            rows, total = con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0) from (select * "
                f"{'exclude (_built_at)' if '_built_at' in columns else ''} "
                f"from marts.{table}) as t"
            ).fetchone()
            out[table] = (int(rows), int(total))
        return out


def differing_marts(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]
) -> list[str]:
    """Marts whose rows differ, exactly (every sum in the marts is exact, so a rerun, an
    incremental refresh and a full rebuild of the same data agree to the last bit)."""
    return [
        f"{table} ({before.get(table, (0, 0))[0]} rows vs {after.get(table, (0, 0))[0]})"
        for table in sorted(before.keys() | after.keys())
        if before.get(table) != after.get(table)
    ]


def stage_incremental(args: argparse.Namespace) -> dict:
    """All batches but the last, full build; then the last (daily) batch: load it and run
    the incremental build; then a full rebuild of the same data. Both must be equal."""
    from salesperf.build import build
    from salesperf.load import find_batches, load_path

    work = args.work / "incremental"
    shutil.rmtree(work, ignore_errors=True)
    settings = settings_for(work, args.memory_limit)
    batches = find_batches(args.landing)
    staged = work / "landing"
    staged.mkdir(parents=True)
    for batch in batches[:-1]:
        (staged / batch.name).symlink_to(batch)
    load_path(settings.warehouse, staged, config=settings.duckdb_config)
    build(settings)
    (staged / batches[-1].name).symlink_to(batches[-1])
    delta, delta_load_s = timed(
        lambda: load_path(settings.warehouse, staged, config=settings.duckdb_config)
    )
    _, incremental_s = timed(lambda: build(settings))
    progress(f"incremental build {incremental_s} s (delta load {delta_load_s} s)")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        total = con.execute("select count(*) from marts.fct_activities").fetchone()[0]
    incremental = mart_checksums(settings.warehouse, settings.duckdb_config)
    _, full_s = timed(lambda: build(settings, full_refresh=True))
    progress(f"full rebuild {full_s} s")
    differing = differing_marts(
        incremental, mart_checksums(settings.warehouse, settings.duckdb_config)
    )
    return {
        "delta_rows": sum(r.loaded for r in delta),
        "delta_share_of_activities": round(sum(r.loaded for r in delta) / max(total, 1), 5),
        "delta_load_s": delta_load_s,
        "incremental_build_s": incremental_s,
        "full_rebuild_s": full_s,
        "incremental_equal": not differing,
        "incremental_differs": ",".join(differing),
    }


STAGES = {
    "generate": stage_generate,
    "pipeline": stage_pipeline,
    "b1": stage_b1,
    "b2": stage_b2,
    "incremental": stage_incremental,
}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("stage", choices=STAGES)
    p.add_argument("--landing", type=Path, required=True)
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--memory-limit", default="4GB")
    p.add_argument("--skip-raw-quality", action="store_true")  # a quicker look at the rest
    args = p.parse_args()
    result = STAGES[args.stage](args)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
