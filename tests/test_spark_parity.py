"""The same dbt project on DuckDB and on a local Spark session gives the same KPI marts
and the same quality-gate verdicts.

One small generated dataset; DuckDB builds it in this process, Spark in the Spark
environment (.venv-spark, `make spark-install`) exactly as a user runs it:
`SALESPERF_ENGINE=spark salesperf run --extracts ...`, the Dagster job of the DuckDB
engine with its Great Expectations gate run on Spark. Every `kpi_` mart must be equal
row for row, numbers to a tolerance (Spark and DuckDB sum doubles in different orders);
every mart suite must pass or fail alike, and a failing one must stop publish on Spark.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import write_batch

from salesperf.build import build
from salesperf.generate import GeneratorConfig, generate
from salesperf.load import load_path
from salesperf.quality import QualityReport, validate_marts
from salesperf.settings import PROJECT_DIR, load_settings
from salesperf.spark_gate import from_json
from salesperf.warehouse_io import mart_tables

SPARK_SALESPERF = PROJECT_DIR / ".venv-spark" / "bin" / "salesperf"
MONEY = "DECIMAL(38,2)"
SMALL = GeneratorConfig(seed=11, reps=20, months=3, delta_days=2)
# a won deal above 0.001 times the 99th percentile of the deals before it is every judged
# deal: the plausibility suite fails on any engine
IMPLAUSIBLE_FACTOR = "0.001"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[dict[str, Path]]:
    assert SPARK_SALESPERF.exists(), "the Spark environment is missing: run make spark-install"
    root = tmp_path_factory.mktemp("parity")
    landing = root / "landing"
    generate(SMALL, landing)
    lonely = add_a_call_alone_in_its_month(landing)
    generated = sorted(p for p in landing.iterdir() if p.is_dir())
    move_a_call_to_another_month(landing, delete=lonely)

    duck = load_settings(
        {
            "SALESPERF_PROJECT_DIR": str(PROJECT_DIR),
            "SALESPERF_WAREHOUSE": str(root / "duck.duckdb"),
        }
    )
    load_path(duck.warehouse, landing)
    build(duck)

    spark_dir = root / "spark"
    env = {
        **os.environ,
        "SALESPERF_ENGINE": "spark",
        "SALESPERF_WAREHOUSE": str(root / "ledger.duckdb"),
        "SALESPERF_SPARK_DIR": str(spark_dir),
        "DAGSTER_HOME": str(root / "dagster"),
    }
    env.pop("SALESPERF_DBT_TARGET", None)
    # Spark runs twice, as a daily pipeline would: every generated batch with the lone
    # call (a full build), then the correction alone (incremental builds of
    # fct_activities and int_activities__daily: insert_overwrite of the months it
    # touches, the lone call's month emptied). DuckDB built everything at once; the marts
    # must still agree. The second run also carries a plausibility bound every won deal
    # breaks: its mart gate fails, the marts it built are still exported for the
    # comparison, and publish must not run. (Each Spark run costs ~9 minutes here: a
    # third run, for an incremental run that passes, would buy little the two do not.)
    generated_only = root / "generated"
    generated_only.mkdir()
    for batch in generated:
        (generated_only / batch.name).symlink_to(batch)
    done, lines = spark_run(root, env, generated_only, "spark-generated")
    errors = [line for line in lines if "error" in line.lower()]
    assert done.returncode == 0, "\n".join(errors[-20:] or lines[-40:])
    gate = spark_dir / "gate" / "marts.json"
    passed_gate = Path(shutil.copy(gate, root / "gate-passed.json"))
    published = serving_version(root)
    failed_run, failed_lines = spark_run(
        root, {**env, "SALESPERF_PLAUSIBLE_FACTOR": IMPLAUSIBLE_FACTOR}, landing, "spark-failing"
    )
    ran = spark_dir / "target" / "run" / "salesperf" / "models"
    for model in (
        "marts/core/fct_activities.sql",
        "intermediate/entities/int_activities__daily.sql",
    ):
        assert "insert overwrite" in (ran / model).read_text().lower(), (
            f"the last Spark run did not build {model} incrementally"
        )
    yield {
        "duckdb": duck.warehouse,
        "spark": spark_dir / "exported.duckdb",
        "root": root,
        "gate_passed": passed_gate,
        "gate_failed": gate,
        "failed_run": (failed_run.returncode, "\n".join(failed_lines)),
        "published_before": published,
        "published_after": serving_version(root),
    }
    shutil.rmtree(root)  # the metastore, lake and tables: tens of MB per run


def spark_run(
    root: Path, env: dict[str, str], extracts: Path, name: str
) -> tuple[subprocess.CompletedProcess, list[str]]:
    log_file = root / f"{name}.log"
    with log_file.open("w") as log:
        done = subprocess.run(
            [str(SPARK_SALESPERF), "run", "--extracts", str(extracts)],
            env=env,
            cwd=root,  # what Spark drops in its working folder stays in the temp folder
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=1800,
        )
    return done, log_file.read_text().splitlines()


def serving_version(root: Path) -> str:
    with duckdb.connect(str(root / "serving" / "salesperf.duckdb"), read_only=True) as con:
        return con.execute("select version from marts._publication").fetchall()[0][0]


def add_a_call_alone_in_its_month(landing: Path) -> str:
    """A batch after the generated ones adds a call three months before any other record:
    a month of its own, which the correction then empties by deleting the call. Its id."""
    initial = sorted(p for p in landing.iterdir() if p.is_dir())[0]
    with duckdb.connect() as con:
        owner_id, occurred_at = con.execute(
            f"""select owner_id, min(occurred_at::timestamp) - interval 3 month
            from read_csv('{initial / "activities.csv"}', all_varchar = true)
            where activity_type = 'call'
            group by owner_id
            order by 2
            limit 1"""
        ).fetchone()
    write_batch(
        landing / "99999998T000000_lone_call",
        {
            "activities": "activity_id,owner_id,activity_type,occurred_at,updated_at\n"
            f"LONE-CALL,{owner_id},call,{occurred_at:%Y-%m-%dT%H:%M:%S},2029-01-01T00:00:00"
        },
    )
    return "LONE-CALL"


def move_a_call_to_another_month(landing: Path, delete: str) -> None:
    """A last batch corrects a call of the second month to the first and deletes the call
    `delete`. Spark rewrites whole months: unless it also rewrites the month holding the
    old version, the moved call counts in both months there and once in DuckDB; unless it
    drops the month the deleted call was alone in, that month stays on Spark. Loaded
    alone, after the deltas, so that no other change touches the second month."""
    initial = sorted(p for p in landing.iterdir() if p.is_dir())[0]
    with duckdb.connect() as con:
        activity_id, owner_id, occurred_at = con.execute(
            f"""with calls as (
                select activity_id, owner_id, occurred_at::timestamp as occurred_at
                from read_csv('{initial / "activities.csv"}', all_varchar = true)
                where activity_type = 'call'
            )
            select activity_id, owner_id, occurred_at - interval 35 day
            from calls
            where date_trunc('month', occurred_at) = (
                select min(date_trunc('month', occurred_at)) + interval 1 month from calls
            )
            order by activity_id
            limit 1"""
        ).fetchone()
    write_batch(
        landing / "99999999T000000_correction",
        {
            "activities": "activity_id,owner_id,activity_type,occurred_at,updated_at,is_deleted\n"
            f"{activity_id},{owner_id},call,{occurred_at:%Y-%m-%dT%H:%M:%S},2025-12-31T00:00:00,"
            f"false\n{delete},,call,,2025-12-31T00:00:00,true"
        },
    )


def kpi_tables(path: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [n for n in mart_tables(con) if n.startswith("kpi_")]
        frames = {n: con.execute(f"select * from marts.{n}").df() for n in names}
        money = {
            n: [r[0] for r in con.execute(f"describe marts.{n}").fetchall() if r[1] == MONEY]
            for n in names
        }
    # _built_at says which run wrote a row (lineage, not content): the engines ran apart
    out = {n: f.drop(columns=["_built_at"], errors="ignore") for n, f in frames.items()}
    for n, frame in out.items():
        frame.attrs["money"] = money[n]
    return out


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Measured numbers as floats (Spark keeps some sums DECIMAL), rows in one order: by
    every other column (ids, months, counts), which together are each mart's grain."""
    out = frame.copy()
    measured = []
    for column in out.columns:
        values = out[column]
        is_decimal = values.dtype == object and values.map(lambda v: isinstance(v, Decimal)).any()
        if pd.api.types.is_float_dtype(values) or is_decimal:
            out[column] = values.astype("float64")
            measured.append(column)
    keys = [c for c in out.columns if c not in measured]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def test_every_kpi_mart_is_equal_on_spark_and_duckdb(built: dict[str, Path]) -> None:
    duck, spark = kpi_tables(built["duckdb"]), kpi_tables(built["spark"])
    assert sorted(spark) == sorted(duck)
    assert len(duck) >= 15
    for name, expected in duck.items():
        actual = spark[name]
        assert list(actual.columns) == list(expected.columns), name
        assert len(actual) == len(expected), f"{name}: {len(actual)} rows on Spark, {len(expected)}"
        money = expected.attrs["money"]
        actual, expected = comparable(actual), comparable(expected)
        pd.testing.assert_frame_equal(
            actual.drop(columns=money),
            expected.drop(columns=money),
            check_dtype=False,
            check_exact=False,
            rtol=1e-9,
            atol=1e-6,
            obj=name,
        )
        # money is rounded to the cent from sums the engines take in different orders: a
        # sum a hair either side of a half cent rounds a cent apart
        pd.testing.assert_frame_equal(
            actual[money], expected[money], check_dtype=False, atol=0.0100001, obj=name
        )


def test_the_marts_are_not_empty(built: dict[str, Path]) -> None:
    """Equal but empty would prove nothing: the small dataset fills the monthly marts."""
    spark = kpi_tables(built["spark"])
    for name in ("kpi_company_monthly", "kpi_sdr_monthly", "kpi_ae_monthly", "kpi_am_monthly"):
        assert len(spark[name]) > 0, name
    company = spark["kpi_company_monthly"]
    assert company["revenue"].astype(float).sum() > 0


def test_spark_keeps_its_files_in_its_own_folder(built: dict[str, Path]) -> None:
    spark_dir = built["root"] / "spark"
    assert (spark_dir / "metastore_db").is_dir()
    assert (spark_dir / "tables").is_dir()
    assert (spark_dir / "lake" / "activities").is_dir()
    for stray in ("metastore_db", "spark-warehouse", "derby.log"):
        assert not (PROJECT_DIR / stray).exists(), stray
        assert not (built["root"] / stray).exists(), stray
    # the DuckDB manifest that Dagster reads was not replaced by Spark's
    assert (spark_dir / "target" / "manifest.json").exists()


def verdicts(report: QualityReport) -> dict[str, tuple[int, list[tuple[str, str | None]]]]:
    """Per suite: how many expectations it evaluated and which ones failed (the details
    name values each engine prints its own way)."""
    return {
        s.suite: (len(s.outcomes), sorted((o.expectation, o.column) for o in s.failures))
        for s in report.suites
    }


def duckdb_settings(built: dict[str, Path], **changes: object):
    settings = load_settings(
        {"SALESPERF_PROJECT_DIR": str(PROJECT_DIR), "SALESPERF_WAREHOUSE": str(built["duckdb"])}
    )
    return dataclasses.replace(settings, **changes)


def test_the_gate_passes_alike_on_spark_and_duckdb(built: dict[str, Path]) -> None:
    """The Spark run that published passed every mart suite, as DuckDB does on the same
    data; the failing run below compares every suite's verdict on the final marts."""
    spark = from_json(json.loads(built["gate_passed"].read_text()))
    duck = validate_marts(duckdb_settings(built))
    assert spark.passed and duck.passed, spark.failures() + duck.failures()
    assert {s.suite for s in spark.suites} == {s.suite for s in duck.suites}
    assert len(spark.suites) == len(list((PROJECT_DIR / "expectations" / "marts").glob("*.json")))
    assert spark.docs_index and spark.docs_index.exists()


def test_a_failing_gate_fails_alike_and_stops_publish_on_spark(built: dict[str, Path]) -> None:
    spark = from_json(json.loads(built["gate_failed"].read_text()))
    duck = validate_marts(duckdb_settings(built, plausible_factor=float(IMPLAUSIBLE_FACTOR)))
    assert verdicts(spark) == verdicts(duck)
    failing = {s.suite: [o.expectation for o in s.failures] for s in spark.suites if not s.passed}
    assert failing == {"marts.plausibility_won_amounts": ["expect_column_values_to_be_between"]}
    # every other suite passed alike on the same marts
    assert len(spark.suites) == len(duck.suites) > 1
    # and on Spark the blocking check kept the last good marts in the serving file
    returncode, output = built["failed_run"]
    assert returncode == 1
    assert "gx_plausibility_won_amounts" in output
    assert built["published_after"] == built["published_before"]
