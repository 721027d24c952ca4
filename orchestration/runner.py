"""Run the pipeline job in-process: what `salesperf run` does, so the CLI and the
scheduled deployment execute the very same assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.automation import JOB_NAME, run_config
from orchestration.resources import open_instance, settings_resource
from salesperf.build import BuildFailed
from salesperf.run_lock import exclusive_run
from salesperf.settings import Settings


def dbt_log_path(settings: Settings) -> Path:
    """Where `salesperf run` writes dbt's node-by-node log (the terminal gets one line)."""
    return settings.warehouse.parent / "logs" / "dbt_build.log"


def run_pipeline(
    settings: Settings,
    extracts: Path | None = None,
    *,
    as_of_date: str = "",
    full_refresh: bool = False,
    instance: dg.DagsterInstance | None = None,
    wait: bool = False,
) -> dg.ExecuteInProcessResult:
    """Materialize every asset (load, then dbt build) in this process; raise on failure."""
    from orchestration.definitions import defs

    config = run_config(extracts, as_of_date)
    config["ops"]["dbt_models"]["config"]["full_refresh"] = full_refresh
    config["ops"]["dbt_models"]["config"]["dbt_log"] = str(dbt_log_path(settings))
    config["loggers"] = {"progress": {}}
    if instance is None:
        instance = open_instance(settings)
    with exclusive_run(settings, wait=wait):
        result = defs.resolve_job_def(JOB_NAME).execute_in_process(
            run_config=config,
            instance=instance,
            raise_on_error=False,
            # the assets run with these very settings, not a second read of the environment
            resources={"settings": settings_resource(settings)},
        )
    if not result.success:
        failures = [
            f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
            for event in result.all_events
            if event.is_step_failure and event.event_specific_data.error
        ]
        # a blocking check's own words (which rows, which batch) say more than "1 blocking
        # asset check failed"
        failures += [
            f"{check.check_name}: {check.description}"
            for check in (
                event.event_specific_data
                for event in result.all_events
                if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
            )
            if not check.passed
            and check.severity == dg.AssetCheckSeverity.ERROR
            and check.description
        ]
        raise BuildFailed(
            f"pipeline run {result.run_id} failed: " + ("; ".join(failures) or "see the run log")
        )
    return result
