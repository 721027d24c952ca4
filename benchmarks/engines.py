"""`make bench-engines SCALE=small|S`: the same dbt build on DuckDB and on local Spark.

Runs in the Spark environment (.venv-spark holds dbt-duckdb as well). The data is loaded
once per engine (each keeps its own ledger), then each engine builds every model and
data test from scratch; Spark's time also covers writing the raw lake. One row per run is
appended to benchmarks/results/engines.csv.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# small: the parity test's dataset (tests/test_spark_parity.py); S: make bench's S data
SIZES = {"small": {"seed": 11, "reps": 20, "months": 3, "delta_days": 2}, "S": None}
FIELDS = [
    "run_at", "size", "activities", "duckdb_build_s", "spark_lake_s", "spark_build_s",
    "spark_over_duckdb", "cpus", "python", "pyspark", "dbt_spark",
]  # fmt: skip


def say(message: str) -> None:
    print(f"[engines {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def landing_for(size: str) -> Path:
    from salesperf.generate import GeneratorConfig, generate

    if size == "S":
        landing = BENCH / "data" / "S-seed7"
        if not landing.exists():
            raise SystemExit("no S data yet: run `make bench SCALE=S` once to generate it")
        return landing
    landing = BENCH / "data" / "small-seed11"
    if not landing.exists():
        generate(GeneratorConfig(**SIZES[size]), landing)  # type: ignore[arg-type]
    return landing


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", choices=SIZES, default="small")
    args = p.parse_args()

    from importlib.metadata import version

    import duckdb
    import pyspark

    from salesperf.build import build, temporary_environment
    from salesperf.lake import export_raw
    from salesperf.load import load_path
    from salesperf.settings import load_settings
    from salesperf.spark import spark_environment

    landing = landing_for(args.size)
    work = BENCH / "work" / f"engines-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    duck = load_settings({"SALESPERF_WAREHOUSE": str(work / "duck.duckdb")})
    load_path(duck.warehouse, landing)
    with duckdb.connect(str(duck.warehouse), read_only=True) as con:
        activities = con.execute("select count(*) from raw.activities").fetchall()[0][0]
    say(f"{args.size}: {activities:,} activities; DuckDB build ...")
    started = time.perf_counter()
    build(duck)
    duckdb_s = time.perf_counter() - started

    spark = load_settings(
        {
            "SALESPERF_ENGINE": "spark",
            "SALESPERF_WAREHOUSE": str(work / "ledger.duckdb"),
            "SALESPERF_SPARK_DIR": str(work / "spark"),
        }
    )
    load_path(spark.warehouse, landing)
    say("Spark: lake export ...")
    started = time.perf_counter()
    export_raw(spark.warehouse, spark.lake)
    lake_s = time.perf_counter() - started
    say("Spark build ...")
    with temporary_environment(spark_environment(spark)):
        started = time.perf_counter()
        build(spark)
        spark_s = time.perf_counter() - started

    row = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": args.size,
        "activities": activities,
        "duckdb_build_s": round(duckdb_s, 1),
        "spark_lake_s": round(lake_s, 1),
        "spark_build_s": round(spark_s, 1),
        "spark_over_duckdb": round(spark_s / duckdb_s, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pyspark": pyspark.__version__,
        "dbt_spark": version("dbt-spark"),
    }
    results = BENCH / "results" / "engines.csv"
    new = not results.exists()
    with results.open("a", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        if new:
            writer.writeheader()
        writer.writerow(row)
    print(
        f"{args.size}: {activities:,} activities - dbt build (every model and data test): "
        f"DuckDB {duckdb_s:.1f} s, Spark {spark_s:.1f} s (+{lake_s:.1f} s lake export), "
        f"Spark/DuckDB {spark_s / duckdb_s:.1f}x"
    )


if __name__ == "__main__":
    main()
