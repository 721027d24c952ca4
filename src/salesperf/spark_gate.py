"""The quality gate on Spark: the same Great Expectations suites, through GX's Spark
datasource, against the tables Spark holds.

Each gate runs in a child process of its own (`python -m salesperf.spark_gate`): Spark's
Hive metastore is an embedded Derby database that one JVM at a time may open, and dbt
builds on Spark from its own process between the raw gate and the mart gate. The child
writes its report as JSON, which the parent turns back into a QualityReport, so Dagster's
checks and `salesperf run` read the same verdicts on either engine. After the mart
suites, the child exports the marts for publish (Parquet and a DuckDB copy); publish waits
for the verdict.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from salesperf.errors import UserError
from salesperf.quality import (
    Outcome,
    QualityReport,
    QueryFailed,
    SuiteResult,
    mart_frames,
    raw_frames,
    run_suites,
)
from salesperf.settings import Settings, load_settings


class SparkRows:
    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def columns(self, query: str) -> set[str]:
        from pyspark.errors import PySparkException

        try:
            return set(self.spark.sql(query).columns)  # analysis only: nothing is read
        except PySparkException as exc:
            raise QueryFailed(_first_line(exc)) from exc

    def fetch(self, query: str, limit: int | None = None) -> tuple[list[str], list[tuple]]:
        from pyspark.errors import PySparkException

        try:
            frame = self.spark.sql(query)
            found = (frame if limit is None else frame.limit(limit)).collect()
        except PySparkException as exc:
            raise QueryFailed(_first_line(exc)) from exc
        return frame.columns, [tuple(row) for row in found]

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class SparkSource:
    """GX's Spark datasource: each suite's query becomes a lazy DataFrame (the batch
    filter on `_batch_id` prunes the lake's partitions) that GX validates."""

    def __init__(self, context: Any, settings: Settings) -> None:
        from salesperf.spark import spark_session

        self.spark = spark_session(settings)
        self.source = context.data_sources.add_or_update_spark("salesperf_spark")
        self.rows = SparkRows(self.spark)

    def batch(self, name: str, query: str) -> tuple[Any, dict]:
        if name in {a.name for a in self.source.assets}:
            self.source.delete_asset(name)
        asset = self.source.add_dataframe_asset(name)
        definition = asset.add_batch_definition_whole_dataframe("whole")
        return definition, {"dataframe": self.spark.sql(query)}

    def close(self) -> None:
        pass  # the session ends with this process


# ---------------------------------------------------------------- the parent's side


def report_path(settings: Settings, layer: str) -> Path:
    return settings.spark_dir / "gate" / f"{layer}.json"


def gate_on_spark(
    settings: Settings,
    layer: str,
    *,
    serving: Path | None = None,
    batch_ids: list[str] | None = None,
) -> QualityReport:
    """Run one layer's suites on Spark in a child process; its verdicts."""
    from salesperf.spark import require_pyspark, spark_environment

    require_pyspark()
    report = report_path(settings, layer)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "salesperf.spark_gate", layer, "--report", str(report)]
    if serving is not None:
        command += ["--serving", str(serving)]
    if batch_ids is not None:
        command += ["--batches", json.dumps(batch_ids)]
    done = subprocess.run(
        command,
        env={**os.environ, **settings.environment, **spark_environment(settings)},
        cwd=settings.spark_dir,  # what Spark drops in its working folder stays there
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not report.exists():
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "Error" in line] or lines or ["no output"]
        raise UserError(f"the {layer} gate on Spark could not run: {errors[-1]}")
    return from_json(json.loads(report.read_text()))


def to_json(report: QualityReport) -> dict:
    return {
        "layer": report.layer,
        "docs_index": str(report.docs_index) if report.docs_index else None,
        "suites": [dataclasses.asdict(s) for s in report.suites],
    }


def from_json(data: dict) -> QualityReport:
    suites = [
        SuiteResult(s["suite"], outcomes=[Outcome(**o) for o in s["outcomes"]], error=s["error"])
        for s in data["suites"]
    ]
    docs = Path(data["docs_index"]) if data["docs_index"] else None
    return QualityReport(data["layer"], suites, docs)


# ---------------------------------------------------------------- the child's side


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m salesperf.spark_gate")
    parser.add_argument("layer", choices=("raw", "marts"))
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--serving", type=Path)
    parser.add_argument("--batches", type=json.loads)
    args = parser.parse_args(argv)
    settings = load_settings()
    from salesperf.spark import export_marts, register_lake_tables, spark_session

    spark = spark_session(settings)
    try:
        if args.layer == "raw":
            register_lake_tables(spark, settings)
            report = run_suites(settings, "raw", raw_frames(settings, args.batches), SparkSource)
        else:
            report = run_suites(settings, "marts", mart_frames(settings, args.serving), SparkSource)
            export_marts(settings, spark)  # publish copies it only once the gate passed
        partial = args.report.with_name(args.report.name + ".partial")
        partial.write_text(json.dumps(to_json(report), indent=1, default=str))
        partial.replace(args.report)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
