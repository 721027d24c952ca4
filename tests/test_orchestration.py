"""Dagster: definitions load, the whole graph materializes in-process, a failing dbt test
blocks what depends on it, automation evaluates, and the webserver really serves the graph."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import ALL_KPI_MARTS, write_batch
from test_publish import privacy_findings

from salesperf.build import BuildFailed
from salesperf.generate import GeneratorConfig, generate
from salesperf.settings import load_settings
from salesperf.warehouse_io import serving_path

BIN = Path(sys.executable).parent


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("SALESPERF_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    return load_settings()


@pytest.mark.dbt  # seconds: Dagster and the dbt manifest load in subprocesses
def test_definitions_load_in_process_and_with_the_dagster_cli():
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    graph = defs.get_repository_def().asset_graph
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {f"marts/{m}" for m in ALL_KPI_MARTS} <= keys
    # lineage is unbroken: staging's base view reads the raw asset the loader writes, and
    # the staging model reads the base view
    base = dg.AssetKey(["staging", "base_crm__activities"])
    assert dg.AssetKey(["raw", "activities"]) in graph.get(base).parent_keys
    stg = dg.AssetKey(["staging", "stg_crm__activities"])
    assert base in graph.get(stg).parent_keys
    result = subprocess.run(
        [str(BIN / "dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.e2e
def test_the_whole_graph_materializes_and_a_failing_test_blocks_downstream(env, tmp_path):
    from orchestration.automation import record_run_failures
    from orchestration.definitions import defs
    from orchestration.runner import run_pipeline

    generate(GeneratorConfig(seed=2, reps=12, months=2, delta_days=1), env.landing / "crm")
    instance = dg.DagsterInstance.ephemeral()
    result = run_pipeline(env, env.landing, instance=instance)

    graph = defs.get_repository_def().asset_graph
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == set(graph.get_all_asset_keys())
    checks = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    assert len(checks) == len(list(graph.asset_check_keys))
    assert all(c.passed for c in checks)
    raw_activities = next(
        e.materialization
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["raw", "activities"])
    )
    assert raw_activities.metadata["rows_loaded"].value > 1000
    assert raw_activities.metadata["rows_quarantined"].value == 0
    with duckdb.connect(str(env.warehouse), read_only=True) as con:
        for mart in ALL_KPI_MARTS:
            assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0, mart
    # audited and published: the serving file holds the marts and no personal data
    serving = serving_path(env)
    assert privacy_findings(serving) == []
    published = hashlib.sha256(serving.read_bytes()).hexdigest()

    # a row the loader would have refused, written past it (as a loader bug would): the
    # accepted_values test on stg_crm__opportunities fails, so what is built on it is not
    # materialized in that run
    with duckdb.connect(str(env.warehouse)) as con:
        con.execute(
            """insert into raw.opportunities (opportunity_id, owner_id, opportunity_type, stage,
                amount, created_at, is_closed, is_won, updated_at, is_deleted, _batch_id,
                _source_file, _row_number, _loaded_at)
            values ('OBAD', 'U000010', 'bogus', 'open', 500, timestamp '2025-01-10 10:00',
                false, false, timestamp '2025-02-01 10:00', false, '99990101T000000_bad',
                'injected', 1, now()::timestamp)"""
        )
    with pytest.raises(BuildFailed, match="accepted_values_stg_crm__opportunities"):
        run_pipeline(env, env.landing, instance=instance)
    failed = instance.get_runs(limit=1)[0]
    assert failed.status == dg.DagsterRunStatus.FAILURE
    events = instance.all_logs(failed.run_id)
    built = {
        e.dagster_event.asset_key
        for e in events
        if e.dagster_event
        and e.dagster_event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
    }
    assert dg.AssetKey(["staging", "stg_crm__opportunities"]) in built
    for mart in ("fct_opportunities", "kpi_company_monthly", "kpi_ae_monthly"):
        assert dg.AssetKey(["marts", mart]) not in built
    assert dg.AssetKey(["serving", "salesperf"]) not in built
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == published

    # the failure sensor records the step and the message
    failure = next(
        e.dagster_event
        for e in events
        if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_FAILURE
    )
    context = dg.build_run_status_sensor_context(
        sensor_name="record_run_failures",
        dagster_instance=instance,
        dagster_run=failed,
        dagster_event=failure,
        resources={"settings": env},
    ).for_run_failure()
    record_run_failures(context)
    records = [json.loads(line) for line in (tmp_path / "dagster_home" / "failures.jsonl").open()]
    assert records[-1]["run_id"] == failed.run_id
    assert records[-1]["step"] == "dbt_models"
    assert "accepted_values_stg_crm__opportunities" in records[-1]["message"]

    # the bad row is gone; a negative won amount passes dbt's tests but not the Great
    # Expectations mart suite (revenue >= 0): nothing is published
    with duckdb.connect(str(env.warehouse)) as con:
        con.execute("delete from raw.opportunities where _source_file = 'injected'")
    write_batch(
        env.landing / "crm" / "99990102T000000_worse",
        {
            "opportunities": """
opportunity_id,owner_id,opportunity_type,stage,amount,currency,created_at,close_date,is_closed,is_won,updated_at
OBAD,U000010,new_business,closed_won,500,,2025-01-10T10:00:00,2025-02-01,true,true,2025-02-02T10:00:00
ONEG,U000010,new_business,closed_won,-99000000,,2025-01-10T10:00:00,2025-02-01,true,true,2025-02-02T10:00:00
"""
        },
    )
    with pytest.raises(BuildFailed, match="gx_mart_suites"):
        run_pipeline(env, env.landing, instance=instance)
    blocked = instance.get_runs(limit=1)[0]
    checks = {
        (
            e.dagster_event.event_specific_data.asset_key.path[-1],
            e.dagster_event.event_specific_data.check_name,
        ): e.dagster_event.event_specific_data.passed
        for e in instance.all_logs(blocked.run_id)
        if e.dagster_event
        and e.dagster_event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    }
    assert checks[("kpi_company_monthly", "gx_kpi_company_monthly")] is False
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == published


def test_sensor_requests_new_complete_batches_only(env):
    from orchestration.automation import landing_sensor

    write_batch(env.landing / "crm" / "20250101T000000_a", {"teams": "team_id"})
    write_batch(env.landing / "crm" / "20250102T000000_b", {"teams": "team_id"}, complete=False)
    with dg.instance_for_test() as instance:
        first = landing_sensor(
            dg.build_sensor_context(resources={"settings": env}, instance=instance)
        )
        assert [r.run_key for r in first.run_requests] == ["crm/20250101T000000_a"]
        extracts = first.run_requests[0].run_config["ops"]["raw_extracts"]["config"]["extracts"]
        assert extracts == str(env.landing / "crm" / "20250101T000000_a")

        again = landing_sensor(
            dg.build_sensor_context(
                resources={"settings": env}, instance=instance, cursor=first.cursor
            )
        )
        assert again.run_requests == []  # already processed; b is still incomplete

        (env.landing / "crm" / "20250102T000000_b" / "_SUCCESS").touch()
        third = landing_sensor(
            dg.build_sensor_context(
                resources={"settings": env}, instance=instance, cursor=again.cursor
            )
        )
        assert [r.run_key for r in third.run_requests] == ["crm/20250102T000000_b"]


def test_sensor_skips_batches_the_warehouse_already_loaded(env):
    """The CLI loaded batch a; opening the UI afterwards must not queue a run for it."""
    from orchestration.automation import landing_sensor
    from salesperf.load import load_path

    users = "user_id,full_name,role,updated_at\nU1,Ann,SDR,2025-01-01\n"
    write_batch(env.landing / "crm" / "20250101T000000_a", {"users": users})
    load_path(env.warehouse, env.landing / "crm" / "20250101T000000_a")
    write_batch(env.landing / "crm" / "20250102T000000_b", {"users": users})
    with dg.instance_for_test() as instance:
        result = landing_sensor(
            dg.build_sensor_context(resources={"settings": env}, instance=instance)
        )
        assert [r.run_key for r in result.run_requests] == ["crm/20250102T000000_b"]
        # while another process writes the warehouse, the sensor waits instead of guessing
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import duckdb,sys; c=duckdb.connect({str(env.warehouse)!r}); "
                "print('held', flush=True); sys.stdin.read()",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout.readline().strip() == "held"
            busy = landing_sensor(
                dg.build_sensor_context(resources={"settings": env}, instance=instance)
            )
        finally:
            holder.communicate("", timeout=30)
        assert not busy.run_requests
        assert "busy" in busy.skip_reason.skip_message


def test_daily_schedule_requests_a_run():
    from orchestration.automation import daily_schedule

    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 3, 1, 6, tzinfo=UTC)
    )
    requests = daily_schedule.evaluate_tick(context).run_requests
    assert len(requests) == 1
    assert requests[0].run_config["ops"]["raw_extracts"]["config"]["extracts"] == ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]


LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
ASSETS = """{ assetNodes { assetKey { path }
    assetChecksOrError { ... on AssetChecks { checks { name } } } } shouldShowNux }"""


@pytest.mark.e2e
def test_salesperf_ui_from_a_plain_shell_loads_the_whole_graph(tmp_path):
    """`make ui` as a user runs it: a shell whose PATH has no virtual environment. The code
    location must load with the project's own dbt (it failed with "The dbt executable
    'dbt' was not found on PATH"), and the graph holds the raw, dbt, check and publish
    assets. The process group is stopped whatever it spawned."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env |= {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "DAGSTER_HOME": str(tmp_path / "home"),
        "SALESPERF_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "SALESPERF_LANDING": str(tmp_path / "landing"),
    }
    log = (tmp_path / "ui.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "salesperf"), "ui", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a new session: the whole group can be stopped
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                entries = _graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    break
            except (OSError, KeyError, TypeError):
                pass  # not listening yet: poll again until the deadline
            assert server.poll() is None, (tmp_path / "ui.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the UI did not load its code location in 180 s"
            time.sleep(1)
        loaded = entries[0]["locationOrLoadError"]
        assert loaded["__typename"] == "RepositoryLocation", loaded.get("message")
        data = _graphql(port, ASSETS)
        paths = {"/".join(n["assetKey"]["path"]) for n in data["assetNodes"]}
        assert "raw/activities" in paths  # the loader
        assert {f"marts/{m}" for m in ALL_KPI_MARTS} <= paths  # dbt
        assert {"serving/salesperf", "serving/dashboard"} <= paths  # publish
        checks = {
            c["name"]
            for n in data["assetNodes"]
            for c in (n["assetChecksOrError"] or {}).get("checks", [])
        }
        assert "gx_kpi_company_monthly" in checks and "gx_raw_suite" in checks
        assert any(c.startswith("not_null") for c in checks)  # dbt tests as checks
        assert data["shouldShowNux"] is False  # no pop-up over the first page
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        log.close()


@pytest.mark.dbt  # seconds: Dagster and the dbt manifest load in subprocesses
def test_processes_opening_a_new_dagster_home_at_once_all_succeed(tmp_path):
    # without the lock in open_instance, two of four such processes typically fail while
    # creating the instance's SQLite schema (seen: "table secondary_indexes already exists")
    code = (
        "from orchestration.resources import open_instance\n"
        "from salesperf.settings import load_settings\n"
        "open_instance(load_settings())\n"
    )
    env = os.environ | {"DAGSTER_HOME": str(tmp_path / "home")}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=300)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
