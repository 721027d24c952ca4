"""The resources every asset, check and sensor is given - the project's settings and the dbt
project handle - and the Dagster instance home."""

from __future__ import annotations

import fcntl
import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtProjectPreparer, DbtCliResource, DbtProject

from salesperf.settings import PROJECT_DIR, Settings, load_settings

# Every asset that writes the warehouse file is in this pool (DuckDB: one writer per file).
WAREHOUSE_POOL = "duckdb_warehouse"

# the dbt of this environment, whether or not the virtual environment is on PATH
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


class _ThisEnvironmentsDbt(DagsterDbtProjectPreparer):
    """`dagster dev` re-parses the project on start; dagster-dbt's own preparer looks for
    `dbt` on PATH, which a plain shell (`make ui`) does not have: the code location then
    failed to load and the asset graph was empty."""

    def prepare(self, project: DbtProject) -> None:
        DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()


# The manifest is prepared ahead (make, CI); `dagster dev` re-parses on start.
DBT_PROJECT = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
_ThisEnvironmentsDbt().prepare_if_dev(DBT_PROJECT)


def settings_resource(settings: Settings | None = None) -> dg.ResourceDefinition:
    """The project's Settings, the one place the assets, checks and sensors read their
    configuration from (each takes `settings: dg.ResourceParam[Settings]`). `salesperf
    run` hands in the Settings it already holds; the webserver and daemon read the
    environment once per run or sensor tick, so a changed variable needs no restart."""
    if settings is not None:
        return dg.ResourceDefinition.hardcoded_resource(settings, "the caller's settings")
    return dg.ResourceDefinition(
        resource_fn=lambda _: load_settings(),
        description="salesperf.settings.load_settings(): SALESPERF_* variables and defaults",
    )


def dbt_resource() -> DbtCliResource:
    # no ANSI colour codes: dbt's lines end in log files and Dagster's compute logs
    return DbtCliResource(
        project_dir=DBT_PROJECT,
        dbt_executable=DBT_EXECUTABLE,
        global_config_flags=["--no-use-colors"],
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
