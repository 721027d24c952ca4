"""The same dbt project on Apache Spark (SALESPERF_ENGINE=spark).

A run on Spark is the same Dagster job as on DuckDB: the loader validates into the DuckDB
ledger as always (manifest, quarantine: received = loaded + quarantined) and the
validated rows go to the Parquet lake (salesperf.lake); dbt builds and tests every model
on a Spark session (profiles.yml target `spark`); the Great Expectations suites run on
Spark (salesperf.spark_gate), which then exports the marts as Parquet and as a DuckDB copy
(`Settings.marts_source`); publish copies that into the serving file once the gate passed.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import yaml

from salesperf.build import build, temporary_environment
from salesperf.errors import UserError
from salesperf.lake import BATCH_COLUMNS, export_raw
from salesperf.settings import Settings
from salesperf.warehouse_io import replace_folder

# what comes back out of Spark (schema, Spark SHOW TABLES pattern): every table publish
# copies, and what it reads beside them (the as-of date, the entities delivered)
EXPORTED = (
    ("marts", "*"),
    ("intermediate", "int_months|int_reporting_period|int_crm__deliveries"),
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


def spark_conf(settings: Settings) -> dict[str, str]:
    """The Spark settings of profiles.yml's `spark` output, rendered as dbt renders them:
    our own sessions (the gate) open the metastore and tables dbt built, configured in
    one place."""
    from jinja2 import Environment

    environment = {**os.environ, **settings.dbt_env}
    jinja = Environment()
    jinja.globals["env_var"] = lambda name, default=None: environment.get(name, default)
    profile = yaml.safe_load((settings.project_dir / "profiles.yml").read_text())
    params = profile["salesperf"]["outputs"]["spark"]["server_side_parameters"]
    return {key: jinja.from_string(str(value)).render() for key, value in params.items()}


def spark_session(settings: Settings) -> Any:
    """A local Spark session on the project's metastore and tables (one per process)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    os.environ.update(spark_environment(settings))
    builder = SparkSession.builder.appName("salesperf").enableHiveSupport()
    for key, value in spark_conf(settings).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def register_lake_tables(spark: Any, settings: Settings) -> None:
    """`raw.<table>` for every table of the lake, as the dbt macro register_raw_tables
    does before a build: the raw gate runs before dbt, on the batches just exported."""
    spark.sql("create database if not exists raw")
    for table in BATCH_COLUMNS:
        if not (settings.lake / table).exists():
            continue
        spark.sql(f"drop table if exists raw.{table}")  # external: the files stay
        spark.sql(f"create table raw.{table} using parquet location '{settings.lake / table}'")
        spark.sql(f"alter table raw.{table} recover partitions")


def export_marts(settings: Settings, spark: Any = None) -> Path:
    """Write the exported tables as Parquet (<spark_dir>/export/<schema>/<table>/) and
    gather them into a DuckDB file, what publish copies (`Settings.marts_source`). Uses
    the session given, else the one dbt opened in this process."""
    if spark is None:
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
    copy = settings.marts_source
    partial = copy.with_name(copy.name + ".partial")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as con:
        for schema, name in tables:
            con.execute(f"create schema if not exists {schema}")
            files = out / schema / name / "*.parquet"
            con.execute(f"create table {schema}.{name} as select * from read_parquet('{files}')")
    partial.replace(copy)
    return copy
