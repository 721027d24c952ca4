"""Run the pipeline job in-process: what `salesperf run` does, so the CLI and the
scheduled deployment execute the very same assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.automation import JOB_NAME, run_config
from orchestration.resources import open_instance
from salesperf.build import BuildFailed
from salesperf.settings import Settings


def run_pipeline(
    settings: Settings,
    extracts: Path | None = None,
    *,
    as_of_date: str = "",
    full_refresh: bool = False,
    instance: dg.DagsterInstance | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialize every asset (load, then dbt build) in this process; raise on failure."""
    from orchestration.definitions import defs

    config = run_config(extracts, as_of_date)
    config["ops"]["dbt_models"]["config"]["full_refresh"] = full_refresh
    config["loggers"] = {"console": {"config": {"log_level": "INFO"}}}
    if instance is None:
        instance = open_instance(settings)
    result = defs.resolve_job_def(JOB_NAME).execute_in_process(
        run_config=config, instance=instance, raise_on_error=False
    )
    if not result.success:
        failures = [
            f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
            for event in result.all_events
            if event.is_step_failure and event.event_specific_data.error
        ]
        raise BuildFailed(
            f"pipeline run {result.run_id} failed: " + ("; ".join(failures) or "see the run log")
        )
    return result
