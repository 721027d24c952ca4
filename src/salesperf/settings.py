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

PROJECT_DIR = Path(__file__).resolve().parents[2]


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

    @property
    def dbt_env(self) -> dict[str, str]:
        """What profiles.yml reads."""
        return {
            "SALESPERF_WAREHOUSE": str(self.warehouse),
            "SALESPERF_DBT_TARGET": self.dbt_target,
            "SALESPERF_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "SALESPERF_DUCKDB_TEMP_DIR": str(self.duckdb_temp_dir),
        }

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
    return Settings(
        project_dir=project,
        warehouse=warehouse,
        landing=Path(env.get("SALESPERF_LANDING", project / "data" / "landing"))
        .expanduser()
        .resolve(),
        dbt_target=env.get("SALESPERF_DBT_TARGET", "duckdb"),
        as_of_date=env.get("SALESPERF_AS_OF_DATE", ""),
        duckdb_memory_limit=env.get("SALESPERF_DUCKDB_MEMORY_LIMIT", "4GB"),
        # DuckDB's own default place, made explicit so dbt and the loader share it
        duckdb_temp_dir=Path(env.get("SALESPERF_DUCKDB_TEMP_DIR", f"{warehouse}.tmp"))
        .expanduser()
        .resolve(),
        dagster_home=Path(env.get("DAGSTER_HOME", project / ".dagster")).expanduser().resolve(),
    )
