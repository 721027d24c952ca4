"""The Great Expectations runner: what counts as a failure, on a real DuckDB file."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import duckdb
import pytest
from browser import offline_render

from salesperf.data_docs import remote_references
from salesperf.quality import run_suites
from salesperf.settings import Settings, load_settings


@pytest.fixture
def project(tmp_path) -> Settings:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.t as select * from (values (1, 0.5), (2, 1.5), (3, null)) v(k, r)"
        )
    settings = load_settings({"SALESPERF_WAREHOUSE": str(warehouse)})
    return dataclasses.replace(settings, project_dir=tmp_path)


def suite(project: Settings, name: str, expectations: list[dict]) -> None:
    folder = Path(project.project_dir) / "expectations" / "marts"
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "name": f"marts.{name}",
        "meta": {"salesperf": {"query": "select * from marts.t"}},
        "expectations": expectations,
    }
    (folder / f"{name}.json").write_text(json.dumps(spec))


def run(project: Settings):
    return run_suites(project, "marts", lambda con, spec: [(spec["name"], {}, {})])


def between(severity: str) -> dict:
    kwargs = {"column": "r", "min_value": 0, "max_value": 1}
    return {
        "type": "expect_column_values_to_be_between",
        "kwargs": kwargs,
        "meta": {"severity": severity},
    }


def test_an_error_expectation_that_fails_fails_the_gate_and_says_why(project):
    suite(project, "ratios", [between("error")])
    report = run(project)
    assert not report.passed
    assert report.failures() == [
        "marts.ratios: expect_column_values_to_be_between(r) 1 unexpected, e.g. [1.5]"
    ]
    assert report.docs_index is not None and report.docs_index.exists()


def test_a_warning_is_reported_but_does_not_fail(project):
    suite(project, "ratios", [between("warning")])
    report = run(project)
    assert report.passed
    assert len(report.suites[0].warnings) == 1


def test_an_expectation_that_raises_is_a_failure_not_a_pass(project):
    missing = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nope"}}
    suite(project, "broken", [missing])
    report = run(project)
    assert not report.passed
    assert report.failures() == [
        "marts.broken: expect_column_values_to_not_be_null(nope) could not be evaluated (no result)"
    ]


def test_a_suite_that_evaluated_nothing_is_a_failure(project):
    suite(project, "empty", [])
    report = run(project)
    assert not report.passed
    assert report.failures() == ["marts.empty: evaluated no expectation"]


def test_every_shipped_suite_is_valid_json_with_a_query_and_expectations():
    folder = Path(__file__).resolve().parents[1] / "expectations"
    specs = [json.loads(p.read_text()) for p in folder.glob("*/*.json")]
    assert len(specs) >= 22
    for spec in specs:
        assert spec["expectations"], spec["name"]
        assert spec["meta"]["salesperf"]["query"].lower().startswith(("select", "with"))


def restated(layer: str, table: str, expectation: dict, manifest: dict) -> str | None:
    """What an expectation restates, if it does: the landing contract (raw) or a dbt
    test or contract constraint (marts)."""
    from salesperf.contract import ENTITIES

    kind, kwargs = expectation["type"], expectation["kwargs"]
    column = kwargs.get("column")
    if layer == "raw":
        spec = {c.name: c for c in ENTITIES[table].all_columns}.get(column)
        if spec and kind == "expect_column_values_to_not_be_null" and spec.required:
            return "the contract's required value"
        if spec and kind == "expect_column_values_to_be_in_set" and spec.enum:
            return (
                "the contract's value list" if set(spec.enum) <= set(kwargs["value_set"]) else None
            )
        return None
    model = next(
        (
            n
            for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["name"] == table
        ),
        None,
    )
    if model is None:
        return None  # a query of its own (reconciliation, plausibility)
    constraints = [c["type"] for c in model["columns"].get(column, {}).get("constraints", [])]
    tests = [
        (
            (n.get("test_metadata") or {}).get("name"),
            n.get("column_name"),
            (n.get("test_metadata") or {}).get("kwargs", {}),
        )
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and model["unique_id"] in n["depends_on"]["nodes"]
    ]
    if kind == "expect_column_values_to_not_be_null" and (
        "not_null" in constraints or ("not_null", column, {}) in tests
    ):
        return "not_null"
    if kind in ("expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"):
        columns = set(kwargs.get("column_list") or [column])
        if any(
            (name == "unique_combination" and set(k.get("columns", [])) == columns)
            or (name == "unique" and {c} == columns)
            for name, c, k in tests
        ):
            return "unique"
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if kind == "expect_column_values_to_be_between" and not isinstance(low, dict):
        for name, c, k in tests:
            if name == "accepted_range" and c == column:
                floor, ceiling = k.get("min_value"), k.get("max_value")
                if (low is None or (floor is not None and floor >= low)) and (
                    high is None or (ceiling is not None and ceiling <= high)
                ):
                    return "accepted_range"
    if kind == "expect_column_values_to_be_in_set":
        for name, c, k in tests:
            if (
                name == "accepted_values"
                and c == column
                and set(k["values"]) <= set(kwargs["value_set"])
            ):
                return "accepted_values"
    return None


def test_no_expectation_restates_the_contract_or_a_dbt_test():
    """GX checks what neither the loader nor dbt can (history, volume, reconciliation,
    plausibility, runtime bounds); a copy of a dbt test only costs gate time."""
    root = Path(__file__).resolve().parents[1]
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    copies = [
        f"{spec['name']}: {e['type']}({e['kwargs'].get('column', '')}) restates {why}"
        for layer in ("raw", "marts")
        for spec in (
            json.loads(p.read_text())
            for p in sorted((root / "expectations" / layer).glob("*.json"))
        )
        for e in spec["expectations"]
        if (why := restated(layer, spec["name"].split(".", 1)[1], e, manifest))
    ]
    assert copies == []


def test_the_raw_suite_flags_a_close_date_before_creation(tmp_path):
    from conftest import write_batch

    from salesperf.load import load_path
    from salesperf.quality import validate_raw_batches

    batch = write_batch(
        tmp_path / "landing" / "b1",
        {
            "opportunities": "opportunity_id,owner_id,opportunity_type,stage,amount,created_at,"
            "close_date,is_closed,is_won,updated_at\n"
            "O1,U1,upsell,won,5,2025-03-01T10:00:00,2025-01-02,true,true,2025-03-02\n"
            "O2,U1,upsell,won,5,2025-01-01T10:00:00,2025-01-02,true,true,2025-03-02\n"
        },
    )
    settings = load_settings({"SALESPERF_WAREHOUSE": str(tmp_path / "w.duckdb")})
    load_path(settings.warehouse, batch)
    report = validate_raw_batches(settings, ["b1"])
    suite = next(s for s in report.suites if s.suite == "raw.opportunities@b1")
    assert suite.passed  # a warning: implausible rows are loaded, not blocked
    assert [o.expectation for o in suite.warnings] == [
        "expect_column_pair_values_a_to_be_greater_than_b"
    ]
    assert "1 unexpected" in suite.warnings[0].detail


def test_validations_that_overlap_take_turns_on_the_shared_gx_context(project):
    # a scheduled run and a manual one validate at once: without taking turns, GX's
    # file context refuses the second save of a suite ("has changed since ... saved")
    from concurrent.futures import ThreadPoolExecutor

    for name in ("ratios", "more_ratios", "even_more"):
        suite(project, name, [between("warning")])
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: run(project), range(4)))
    assert all(report.passed for report in reports)
    assert all(not s.error for report in reports for s in report.suites)


def test_the_gate_runs_as_sql_and_lets_go_of_the_warehouse(project):
    """GX computes the expectations inside DuckDB (SQL datasource, one persisted
    connection), a planted bad value fails on that path, and afterwards no handle is left:
    dbt, in another process, must be able to write the file next."""
    import subprocess
    import sys

    suite(
        project,
        "ratios",
        [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "r", "min_value": 0, "max_value": 1},
                "meta": {"severity": "error"},
            }
        ],
    )
    report = run(project)
    assert not report.passed and "1 unexpected, e.g. [1.5]" in report.failures()[0]
    writer = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('create table x as select 1')"
    done = subprocess.run(
        [sys.executable, "-c", writer, str(project.warehouse)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-500:]
    # and a batch filter is SQL: the suite's query is bound before GX sees it
    from salesperf.quality import _bound

    assert _bound("select 1 where b = $batch_id and n < $n", {"batch_id": "a'b", "n": 3}) == (
        "select 1 where b = 'a''b' and n < 3"
    )


def test_data_docs_render_with_no_network_and_list_the_validations(project, tmp_path):
    suite(project, "ratios", [between("error")])
    suite(project, "counts", [between("warning")])
    report = run(project)
    assert report.docs_index is not None
    assert remote_references(report.docs_index.parent) == []

    dom, requested = offline_render(report.docs_index, tmp_path / "net.json")
    assert requested == []  # not one request left the machine
    listed = re.search(r'id="section-1-content-block-2-1-body-table"[^>]*data-rows="(\d+)"', dom)
    assert listed and listed.group(1) == "2"  # both validations, from our table filler
    assert "marts.ratios" in dom and "marts.counts" in dom
    # runs are named after the suite, not GX's "__none__"
    assert "__none__" not in dom and "Data asset: None" not in dom


def test_a_validation_page_is_reachable_from_the_index_offline(project, tmp_path):
    suite(project, "ratios", [between("error")])
    report = run(project)
    site = report.docs_index.parent
    page = next((site / "validations").rglob("*.html"))
    dom, requested = offline_render(page, tmp_path / "net.json")
    assert requested == []
    assert "Data asset: marts.ratios" in dom
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))
    assert "Status: Failed" in text
    assert "1 unexpected values found" in text  # 1.5 of (0.5, 1.5, null)


def test_data_docs_keep_the_newest_gate_runs_only(project):
    """Every Data Docs build reads each stored result: once `keep` runs are recorded,
    a new run drops the results, and pages, of the runs before the newest `keep`."""
    import time

    from salesperf.quality import docs_root, prune_validations

    suite(project, "ratios", [between("warning")])
    for _ in range(3):
        run(project)
    root = docs_root(project)
    results = root / "gx" / "uncommitted" / "validations"
    pages = root / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations"
    stored = sorted(results.rglob("*.json"), key=lambda p: p.stat().st_mtime)
    assert len(stored) == 3 and len(list(pages.rglob("*.html"))) == 3
    # a fourth run keeping 3: runs 2, 3 and 4 stay, run 1's result and page go
    assert prune_validations(root, time.time(), keep=3) == 1
    assert sorted(results.rglob("*.json"), key=lambda p: p.stat().st_mtime) == stored[1:]
    assert len(list(pages.rglob("*.html"))) == 2
    # fewer runs recorded than kept: nothing goes
    other = root.parent / "other"
    (other / "gx" / "uncommitted").mkdir(parents=True)
    assert prune_validations(other, time.time(), keep=3) == 0
