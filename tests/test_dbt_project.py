"""Guards on the dbt project's shape: what BI tools and analysts rely on stays declared."""

from __future__ import annotations

import json

import pytest
from conftest import ALL_KPI_MARTS

from salesperf.build import manifest_path, run_dbt
from salesperf.settings import Settings

# parses the project and runs dbt (make test-dbt)
pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    from salesperf.settings import load_settings

    tmp = tmp_path_factory.mktemp("parse")
    settings: Settings = load_settings({"SALESPERF_WAREHOUSE": str(tmp / "w.duckdb")})
    run_dbt(settings, "parse")
    return json.loads(manifest_path(settings).read_text())


def test_every_kpi_mart_has_an_enforced_contract_and_described_columns(manifest):
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    assert set(models) >= set(ALL_KPI_MARTS)
    for name in ALL_KPI_MARTS:
        node = models[name]
        assert node["config"]["contract"]["enforced"], name
        assert node["description"], name
        undocumented = [c for c, spec in node["columns"].items() if not spec.get("description")]
        assert undocumented == [], name
        assert all(spec.get("data_type") for spec in node["columns"].values()), name


def test_every_kpi_mart_has_a_unit_test(manifest):
    tested = {u["model"] for u in manifest["unit_tests"].values()}
    assert tested >= set(ALL_KPI_MARTS)


def test_every_model_is_described_and_staging_mirrors_the_contract(manifest):
    from salesperf.contract import ENTITIES

    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert [m["name"] for m in models if not m["description"]] == []
    staging = {m["name"] for m in models if m["name"].startswith("stg_crm__")}
    assert staging == {f"stg_crm__{e}" for e in ENTITIES}


def test_every_dbt_unit_test_passes(hand_built, manifest):
    """The pipeline's builds leave unit tests out (they check SQL, not data); here they
    all run, against the hand fixture's built warehouse (dbt reads upstream columns)."""
    results = run_dbt(hand_built, "test", ["--select", "test_type:unit"])
    ran = {r.node.unique_id for r in results.results if str(r.status) == "pass"}
    assert ran == set(manifest["unit_tests"])
    assert len(ran) >= 25


def test_every_contract_has_its_not_null_check_and_every_incremental_model_a_unique_key(
    manifest,
):
    """Spark cannot enforce a contract's NOT NULL (plain Parquet) nor honour unique_key on
    append: the data tests that guard both on every engine are declared."""
    models = {
        n["unique_id"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"
    }
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    checked = {
        t["attached_node"]
        for t in tests
        if t.get("test_metadata", {}).get("name") == "contract_not_null"
    }
    contracted = {u for u, m in models.items() if m["config"]["contract"]["enforced"]}
    assert contracted and contracted == checked
    incremental = {u for u, m in models.items() if m["config"]["materialized"] == "incremental"}
    # a key of one column (unique) or of several (unique_combination)
    unique_tested = {
        t["attached_node"]
        for t in tests
        if t.get("test_metadata", {}).get("name") in ("unique", "unique_combination")
    }
    assert incremental and incremental <= unique_tested


def test_contract_not_null_finds_a_null(hand_built, tmp_path):
    """DuckDB enforces the constraint, so the check never fires there; drop the constraint
    on a copy, as a Parquet table on Spark is, and a NULL month must fail the test."""
    import shutil

    import duckdb

    from salesperf.build import BuildFailed
    from salesperf.settings import load_settings

    copy = load_settings({"SALESPERF_WAREHOUSE": str(tmp_path / "copy.duckdb")})
    shutil.copyfile(hand_built.warehouse, copy.warehouse)
    check = ["--select", "contract_not_null_kpi_company_monthly_"]
    run_dbt(copy, "test", check)  # passes on the built marts
    with duckdb.connect(str(copy.warehouse)) as con:
        con.execute("alter table marts.kpi_company_monthly alter column month drop not null")
        con.execute(
            "update marts.kpi_company_monthly set month = null "
            "where month = (select min(month) from marts.kpi_company_monthly)"
        )
    with pytest.raises(BuildFailed, match="contract_not_null_kpi_company_monthly_"):
        run_dbt(copy, "test", check)


def test_only_staging_reads_sources_and_no_model_branches_on_the_engine(manifest):
    """Layers: a source is read by staging alone (its base views included), so renaming
    and hashing happen once; engine differences live in dispatched macros, not models."""
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    readers = {
        m["original_file_path"]
        for m in models
        if any(dep.startswith("source.") for dep in m["depends_on"]["nodes"])
    }
    assert readers and all(p.startswith("models/staging/") for p in readers), readers
    branching = [
        m["original_file_path"]
        for m in models
        if "adapter.type()" in m["raw_code"] or "target.type" in m["raw_code"]
    ]
    assert branching == []
