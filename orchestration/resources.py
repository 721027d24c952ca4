"""The dbt project handle and the Dagster instance home. Settings come from salesperf.settings."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

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
