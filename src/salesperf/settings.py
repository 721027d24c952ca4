"""Paths and settings, read from the environment in one place.

Every default works from a fresh clone: the warehouse and landing data live under the
project folder (git-ignored). Later layers (Dagster resources, publish) read the same
Settings instead of looking at the environment themselves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from salesperf.errors import UserError

PROJECT_DIR = Path(__file__).resolve().parents[2]
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    warehouse: Path  # the DuckDB file dbt builds into
    landing: Path  # where generated sample batches are written
    dbt_target: str
    as_of_date: str  # empty: derived from the data (see dbt var as_of_date)
    duckdb_memory_limit: str
    duckdb_temp_dir: Path  # where DuckDB spills beyond the memory limit
    dagster_home: Path  # runs, schedules and sensor cursors of the local Dagster instance
    engine: str = "duckdb"  # duckdb | spark: where dbt builds the models
    # the plausibility gate: a won deal above this many times the 99th percentile blocks
    plausible_factor: float = 100.0
    # Spark only: the raw layer as Parquet, the metastore, table files and scratch space
    spark_dir: Path = Path("warehouse/spark")

    @property
    def lake(self) -> Path:
        """The loader's validated rows as Parquet, one folder per raw table, partitioned
        by batch: the raw layer Spark reads."""
        return self.spark_dir / "lake"

    @property
    def dbt_env(self) -> dict[str, str]:
        """What profiles.yml (and the Spark raw-table macro) read."""
        return {
            "SALESPERF_WAREHOUSE": str(self.warehouse),
            "SALESPERF_DBT_TARGET": self.dbt_target,
            "SALESPERF_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "SALESPERF_DUCKDB_TEMP_DIR": str(self.duckdb_temp_dir),
            "SALESPERF_SPARK_DIR": str(self.spark_dir),
        }

    @property
    def environment(self) -> dict[str, str]:
        """These settings as the variables load_settings() reads: what a child process
        of ours (the Spark gate) needs to see the same paths and limits."""
        return {
            **self.dbt_env,
            "SALESPERF_PROJECT_DIR": str(self.project_dir),
            "SALESPERF_LANDING": str(self.landing),
            "SALESPERF_AS_OF_DATE": self.as_of_date,
            "SALESPERF_ENGINE": self.engine,
            "SALESPERF_PLAUSIBLE_FACTOR": repr(self.plausible_factor),
            "DAGSTER_HOME": str(self.dagster_home),
        }

    @property
    def marts_source(self) -> Path:
        """The DuckDB file that holds the built marts, what publish copies: the working
        warehouse, or on Spark the copy of the marts exported after the gate."""
        if self.engine == "spark":
            # not marts.duckdb: the catalog would share its name with the schema `marts`
            return self.spark_dir / "exported.duckdb"
        return self.warehouse

    @property
    def duckdb_config(self) -> dict[str, str]:
        """The same limits for every writing connection of ours (loader, publish)."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "temp_directory": str(self.duckdb_temp_dir),
        }


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    project = Path(env.get("SALESPERF_PROJECT_DIR", PROJECT_DIR)).resolve()
    warehouse = (
        Path(env.get("SALESPERF_WAREHOUSE", project / "warehouse" / "salesperf.duckdb"))
        .expanduser()
        .resolve()
    )
    engine = env.get("SALESPERF_ENGINE", "duckdb").strip().lower() or "duckdb"
    if engine not in ENGINES:
        raise UserError(
            f"SALESPERF_ENGINE={engine!r} is not an engine: use one of {', '.join(ENGINES)}"
        )
    return Settings(
        project_dir=project,
        warehouse=warehouse,
        landing=Path(env.get("SALESPERF_LANDING", project / "data" / "landing"))
        .expanduser()
        .resolve(),
        # the engine picks its dbt target; SALESPERF_DBT_TARGET names another output
        # of profiles.yml (a Thrift cluster, say) for the same engine
        dbt_target=env.get("SALESPERF_DBT_TARGET", engine),
        as_of_date=env.get("SALESPERF_AS_OF_DATE", ""),
        duckdb_memory_limit=env.get("SALESPERF_DUCKDB_MEMORY_LIMIT", "4GB"),
        # DuckDB's own default place, made explicit so dbt and the loader share it
        duckdb_temp_dir=Path(env.get("SALESPERF_DUCKDB_TEMP_DIR", f"{warehouse}.tmp"))
        .expanduser()
        .resolve(),
        dagster_home=Path(env.get("DAGSTER_HOME", project / ".dagster")).expanduser().resolve(),
        engine=engine,
        plausible_factor=_positive_number(env, "SALESPERF_PLAUSIBLE_FACTOR", 100.0),
        spark_dir=Path(env.get("SALESPERF_SPARK_DIR", warehouse.parent / "spark"))
        .expanduser()
        .resolve(),
    )


def _positive_number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise UserError(f"{name}={text!r} must be a number above zero")
    return value
