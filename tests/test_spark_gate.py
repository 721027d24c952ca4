"""The Spark gate's parts that run without Spark: its session settings come from the
profile dbt uses, and its verdicts cross the process boundary unchanged. (The gate on a
real Spark session is in test_spark_parity.py.)"""

from __future__ import annotations

import json
from pathlib import Path

from salesperf.quality import Outcome, QualityReport, SuiteResult
from salesperf.settings import PROJECT_DIR, load_settings
from salesperf.spark import spark_conf
from salesperf.spark_gate import from_json, to_json


def test_the_gate_session_uses_the_settings_dbt_uses(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SALESPERF_SPARK_SHUFFLE_PARTITIONS", "7")
    settings = load_settings(
        {"SALESPERF_PROJECT_DIR": str(PROJECT_DIR), "SALESPERF_SPARK_DIR": str(tmp_path / "sp")}
    )
    conf = spark_conf(settings)
    # the same metastore and tables dbt's session opens, under the settings' Spark folder
    assert conf["spark.sql.warehouse.dir"] == f"{tmp_path}/sp/tables"
    assert conf["spark.hadoop.javax.jdo.option.ConnectionURL"] == (
        f"jdbc:derby:;databaseName={tmp_path}/sp/metastore_db;create=true"
    )
    assert conf["spark.sql.shuffle.partitions"] == "7"
    assert conf["spark.master"] == "local[2]"
    assert conf["spark.sql.sources.partitionColumnTypeInference.enabled"] == "false"


def test_verdicts_cross_from_the_spark_process_unchanged(tmp_path) -> None:
    failed = Outcome(
        expectation="expect_column_values_to_be_between",
        column="times_history_p99",
        severity="error",
        success=False,
        raised=False,
        detail="3 unexpected, e.g. [0.25] — opportunity O1, batch b2",
    )
    warned = Outcome("expect_column_values_to_be_between", "x", "warning", False, False, "1")
    report = QualityReport(
        "marts",
        [
            SuiteResult("marts.plausibility_won_amounts", outcomes=[failed]),
            SuiteResult("marts.kpi_ae_monthly", outcomes=[warned]),
            SuiteResult("marts.broken", error="query failed: no such table"),
        ],
        tmp_path / "index.html",
    )
    back = from_json(json.loads(json.dumps(to_json(report))))
    assert back == report
    assert not back.passed
    assert back.failures() == [
        "marts.plausibility_won_amounts: expect_column_values_to_be_between(times_history_p99) "
        "3 unexpected, e.g. [0.25] — opportunity O1, batch b2",
        "marts.broken: query failed: no such table",
    ]
    assert [s.passed for s in back.suites] == [False, True, False]
    assert back.docs_index == Path(tmp_path / "index.html")
