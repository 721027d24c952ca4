"""The dbt project handle and the Dagster instance home. Settings come from salesperf.settings."""

from __future__ import annotations

import fcntl
import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from salesperf.settings import PROJECT_DIR, Settings

# Every asset that writes the warehouse file is in this pool (DuckDB: one writer per file).
WAREHOUSE_POOL = "duckdb_warehouse"

# The manifest is prepared ahead (make, CI); `dagster dev` re-parses on start.
DBT_PROJECT = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
DBT_PROJECT.prepare_if_dev()


def dbt_resource() -> DbtCliResource:
    # the dbt of this environment, whether or not the venv is on PATH
    return DbtCliResource(
        project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.executable).with_name("dbt"))
    )


def ensure_dagster_home(settings: Settings) -> Path:
    """Create the instance folder with the project's dagster.yaml if it has none."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(Path(__file__).with_name("dagster.yaml"), config)
    return home


def open_instance(settings: Settings) -> dg.DagsterInstance:
    """The project's Dagster instance. Two processes opening a new DAGSTER_HOME at once
    would both create its SQLite schema and one would fail: creation is serialised."""
    home = ensure_dagster_home(settings)
    with (home / ".instance.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        instance = dg.DagsterInstance.from_config(str(home))
        instance.get_runs(limit=1)  # make sure the storage exists before letting go
    return instance
