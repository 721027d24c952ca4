"""When the pipeline runs: a sensor on landed batches, a daily schedule, failure records.

(No `from __future__ import annotations` here: Dagster reads the resource annotations.)
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from salesperf.load import complete_batches, loaded_batches
from salesperf.settings import Settings

JOB_NAME = "salesperf_pipeline"


def run_config(extracts: Path | None = None, as_of_date: str = "") -> dict:
    return {
        "ops": {
            "raw_extracts": {"config": {"extracts": str(extracts) if extracts else ""}},
            "dbt_models": {"config": {"as_of_date": as_of_date, "full_refresh": False}},
        }
    }


@dg.sensor(
    job_name=JOB_NAME,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Starts one run per new complete batch in the landing folder. A batch is a "
        "folder of extract files; it is complete once it holds a _SUCCESS file, which the "
        "delivering process writes last."
    ),
)
def landing_sensor(
    context: dg.SensorEvaluationContext, settings: dg.ResourceParam[Settings]
) -> dg.SensorResult:
    landing = settings.landing
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    if not landing.exists():
        return dg.SensorResult(skip_reason=f"landing folder {landing} does not exist yet")
    # the load manifest is the one truth: a batch `salesperf run` already loaded is not
    # asked for again when the UI starts after it
    loaded = loaded_batches(settings.warehouse)
    if loaded is None:
        return dg.SensorResult(skip_reason="the warehouse is busy (a run is writing it)")
    new = [
        b
        for b in complete_batches(landing)
        if str(b.relative_to(landing)) not in seen and str(b.resolve()) not in loaded
    ]
    requests = [
        dg.RunRequest(
            run_key=str(batch.relative_to(landing)),
            run_config=run_config(batch),
            tags={"salesperf/batch": batch.name},
        )
        for batch in new
    ]
    cursor = json.dumps(sorted(seen | {str(b.relative_to(landing)) for b in new}))
    return dg.SensorResult(run_requests=requests, cursor=cursor)


daily_schedule = dg.ScheduleDefinition(
    name="daily_refresh",
    job_name=JOB_NAME,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    run_config=run_config(),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00 UTC: load any complete batch not yet loaded, rebuild.",
)


def failure_log(settings: Settings) -> Path:
    return settings.dagster_home / "failures.jsonl"


@dg.run_failure_sensor(
    name="record_run_failures",
    default_status=dg.DefaultSensorStatus.RUNNING,
    monitor_all_code_locations=False,
)
def record_run_failures(
    context: dg.RunFailureSensorContext, settings: dg.ResourceParam[Settings]
) -> None:
    """Append one JSON line per failed step to DAGSTER_HOME/failures.jsonl."""
    steps = context.get_step_failure_events()
    records = [
        {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "run_id": context.dagster_run.run_id,
            "job": context.dagster_run.job_name,
            "step": event.step_key,
            "message": (event.event_specific_data.error.message or "").strip()
            if event.event_specific_data and event.event_specific_data.error
            else context.failure_event.message,
        }
        for event in steps
    ] or [
        {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "run_id": context.dagster_run.run_id,
            "job": context.dagster_run.job_name,
            "step": None,
            "message": context.failure_event.message,
        }
    ]
    path = failure_log(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        for record in records:
            fh.write(json.dumps(record) + "\n")
            context.log.error(
                f"run {record['run_id']} failed at {record['step']}: {record['message']}"
            )
