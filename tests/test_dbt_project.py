"""Guards on the dbt project's shape: what BI tools and analysts rely on stays declared."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
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


@pytest.fixture(scope="module")
def kpi_definitions(manifest, tmp_path_factory) -> tuple[dict, dict]:
    """macros/kpis.sql's two dictionaries, as dbt renders them."""
    from salesperf.settings import load_settings

    tmp = tmp_path_factory.mktemp("kpis")
    settings = load_settings({"SALESPERF_WAREHOUSE": str(tmp / "w.duckdb")})
    rendered = run_dbt(
        settings, "compile", ["--inline", "{{ tojson([kpi_definitions(), kpi_parts()]) }}"]
    )
    definitions, parts = json.loads(rendered.results[0].node.compiled_code)
    return definitions, parts


def test_every_semantic_ratio_divides_the_parts_of_its_kpi(manifest, kpi_definitions):
    """The semantic layer cannot call a macro: each of its ratio metrics is held here to
    the KPI it presents (its name, or the name behind a company_/source_ prefix), part by
    part, through the measures' expressions."""
    definitions, parts = kpi_definitions
    measures = {
        measure["name"]: measure.get("expr") or measure["name"]
        for model in manifest["semantic_models"].values()
        for measure in model["measures"]
    }
    metrics = {m["name"]: m for m in manifest["metrics"].values()}

    def expression(metric_name: str) -> str:
        measure = metrics[metric_name]["type_params"]["measure"]["name"]
        return " ".join(measures[measure].split())

    checked = set()
    for metric in metrics.values():
        if metric["type"] != "ratio":
            continue
        kpi = metric["name"].removeprefix("company_").removeprefix("source_")
        assert kpi in definitions, f"{metric['name']} presents no KPI of macros/kpis.sql"
        params = metric["type_params"]
        for side in ("numerator", "denominator"):
            part = definitions[kpi][side]
            assert expression(params[side]["name"]) in (part, parts.get(part)), (
                metric["name"],
                side,
            )
        checked.add(kpi)
    assert {"win_rate", "acceptance_rate", "net_revenue_retention", "cac"} <= checked


def test_the_registry_takes_its_ratios_from_the_kpi_definitions(hand_built, kpi_definitions):
    """A KPI is a registry metric, with the parts of its one definition, exactly when the
    registry can add up both parts; the seed names none of a ratio's parts."""
    definitions, _ = kpi_definitions
    with duckdb.connect(str(hand_built.warehouse), read_only=True) as con:
        registry = {
            metric: (numerator, denominator)
            for metric, numerator, denominator in con.execute(
                "select metric, numerator_metric, denominator_metric "
                "from intermediate.int_metric_registry where metric_type = 'ratio'"
            ).fetchall()
        }
        additive = {
            row[0]
            for row in con.execute(
                "select metric from reference.metric_registry where metric_type <> 'ratio'"
            ).fetchall()
        }
    expected = {
        name: (kpi["numerator"], kpi["denominator"])
        for name, kpi in definitions.items()
        if {kpi["numerator"], kpi["denominator"]} <= additive
    }
    assert registry == expected
    # worked out by hand from seeds/metric_registry.csv: the four ratios boards show, and
    # the two KPIs whose parts the registry also adds up
    assert set(registry) == {
        "qualified_lead_rate",
        "qualification_efficiency",
        "acceptance_rate",
        "win_rate",
        "avg_deal_size",
        "net_revenue_retention",
    }


def test_the_catalogue_lists_every_ratio_kpi_with_its_parts(kpi_definitions):
    """From a KPI's name in the catalogue, one click reaches its formula."""
    definitions, _ = kpi_definitions
    text = (Path(__file__).resolve().parents[1] / "docs" / "kpi-catalogue.md").read_text()
    for name, kpi in definitions.items():
        row = f"| [`{name}`](../macros/kpis.sql) | `{kpi['numerator']}`"
        assert row in text, name
        assert f"| `{kpi['denominator']}`" in text.split(row, 1)[1].split("\n", 1)[0], name
