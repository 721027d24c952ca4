"""The one Definitions object: wires the pieces, nothing else."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import dbt_models
from orchestration.assets.publish import dashboard, dbt_docs, marts_parquet, serving_warehouse
from orchestration.assets.quality import gx_mart_suites
from orchestration.assets.raw import raw_extracts
from orchestration.automation import (
    JOB_NAME,
    daily_schedule,
    landing_sensor,
    record_run_failures,
)
from orchestration.progress import progress_logger
from orchestration.resources import dbt_resource, settings_resource

pipeline_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    description=(
        "Load new extract batches, dbt build (staging, facts, KPI marts, tests), audit the "
        "marts with Great Expectations, publish the serving file, then its Parquet copy, "
        "the dashboard and the dbt docs site."
    ),
)

defs = dg.Definitions(
    assets=[raw_extracts, dbt_models, serving_warehouse, marts_parquet, dashboard, dbt_docs],
    asset_checks=[gx_mart_suites],
    jobs=[pipeline_job],
    schedules=[daily_schedule],
    sensors=[landing_sensor, record_run_failures],
    resources={"dbt": dbt_resource(), "settings": settings_resource()},
    # the UI and the daemon log to the console; `salesperf run` prints one line a step
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    # one step at a time, in the run's process: the warehouse has a single writer
    executor=dg.in_process_executor,
)
