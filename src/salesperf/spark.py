"""The same dbt project on Apache Spark (SALESPERF_ENGINE=spark).

A run on Spark: the loader validates into the DuckDB ledger as always (manifest,
quarantine: received = loaded + quarantined), the validated rows go to the Parquet lake
(salesperf.lake), dbt builds and tests every model on a Spark session in this process
(profiles.yml target `spark`), and the marts come back out as Parquet, plus a small
DuckDB copy that `salesperf kpis` and the parity test read.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from salesperf.build import build, temporary_environment
from salesperf.errors import UserError
from salesperf.lake import export_raw
from salesperf.publish import replace_folder
from salesperf.settings import Settings

# what comes back out of Spark (schema, Spark SHOW TABLES pattern): every KPI mart, and
# what `salesperf kpis` also reads
EXPORTED = (
    ("marts", "kpi_*"),
    ("marts", "dim_reps|dim_teams"),
    ("intermediate", "int_months|int_reporting_period"),
)


def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise UserError(
            "the Spark engine needs pyspark and dbt-spark, kept out of the default "
            "environment: run `make spark-install` and use .venv-spark/bin/salesperf "
            "(or `SALESPERF_ENGINE=spark make run`)"
        ) from None


def spark_environment(settings: Settings) -> dict[str, str]:
    """Spark binds to loopback and keeps every file it writes under spark_dir."""
    return {
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOCAL_DIRS": str(settings.spark_dir / "scratch"),
        # executors run this interpreter (Python UDFs are not used, but pyspark checks)
        "PYSPARK_PYTHON": os.environ.get("PYSPARK_PYTHON", sys.executable),
    }


def build_on_spark(
    settings: Settings,
    *,
    full_refresh: bool = False,
    as_of_date: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Path:
    """Lake export, dbt build on Spark, marts exported; return the DuckDB copy."""
    require_pyspark()
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    written = export_raw(settings.warehouse, settings.lake, progress=progress)
    progress(f"lake: {written} new table-batch(es) in {settings.lake}")
    with temporary_environment(spark_environment(settings)):
        started_build = time.perf_counter()
        build(settings, full_refresh=full_refresh, as_of_date=as_of_date)
        progress(f"dbt build on Spark finished in {time.perf_counter() - started_build:.1f}s")
        copy = export_marts(settings)
    progress(f"Spark run done in {time.perf_counter() - started:.1f}s")
    return copy


def marts_copy(settings: Settings) -> Path:
    # not marts.duckdb: the catalog would share its name with the schema `marts`
    return settings.spark_dir / "exported.duckdb"


def export_marts(settings: Settings) -> Path:
    """Write the exported tables as Parquet (<spark_dir>/export/<schema>/<table>/) and
    gather them into a DuckDB file for readers that take one. Uses the session dbt
    opened in this process."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    tables = [
        (schema, row.tableName)
        for schema, pattern in EXPORTED
        for row in spark.sql(f"show tables in {schema} like '{pattern}'").collect()
    ]
    if not any(name.startswith("kpi_") for _, name in tables):
        raise UserError("Spark holds no KPI marts: the build did not create them")
    out = settings.spark_dir / "export"
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    for schema, name in tables:
        spark.table(f"{schema}.{name}").coalesce(1).write.parquet(str(staging / schema / name))
    replace_folder(staging, out)
    copy = marts_copy(settings)
    partial = copy.with_name(copy.name + ".partial")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as con:
        for schema, name in tables:
            con.execute(f"create schema if not exists {schema}")
            files = out / schema / name / "*.parquet"
            con.execute(f"create table {schema}.{name} as select * from read_parquet('{files}')")
    partial.replace(copy)
    return copy
