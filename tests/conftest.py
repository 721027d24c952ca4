"""Shared fixtures: every test gets its own warehouse file and landing folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesperf.settings import Settings, load_settings

# the seven marts BI tools and analysts query by name (issue 2)
KPI_MARTS = (
    "kpi_sdr_monthly",
    "kpi_ae_monthly",
    "kpi_am_monthly",
    "kpi_team_monthly",
    "kpi_company_monthly",
    "kpi_lead_source_monthly",
    "kpi_handoff_rejection_reasons",
)
# goals, leaderboards, contests, coaching and ramp: not one row per month
PERFORMANCE_MARTS = (
    "kpi_scorecard",
    "kpi_quota_attainment",
    "kpi_quota_attainment_company",
    "kpi_leaderboard",
    "kpi_contest_standings",
    "kpi_coaching_activity_monthly",
    "kpi_coaching_impact",
    "kpi_coach_candidates",
    "kpi_ramp",
    "kpi_ramp_cohorts",
    "kpi_pipeline_snapshots",
    "kpi_pipeline_periods",
    "kpi_pipeline_forecast",
    "kpi_forecast_submissions",
    "kpi_stage_conversion",
    "kpi_stage_velocity",
    "kpi_stage_losses",
    "kpi_commission_statement",
    "kpi_compensation_monthly",
    "kpi_commission_expense",
)
ALL_KPI_MARTS = KPI_MARTS + PERFORMANCE_MARTS


# Fixtures that build a warehouse with dbt: a test using one is in the `dbt` tier.
DBT_FIXTURES = {"hand_built", "published", "salesforce", "hubspot"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Three speeds (make test-fast, make test-dbt, make test): a test that needs a dbt
    build is marked `dbt` by the fixtures it asks for, so nobody has to remember to."""
    for item in items:
        if DBT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.dbt)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "SALESPERF_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
            "SALESPERF_LANDING": str(tmp_path / "landing"),
        }
    )


def write_batch(
    folder: Path, files: dict[str, str], complete: bool = True, sample: bool = False
) -> Path:
    """Write CSV extracts (entity -> text) into a batch folder; `sample`: a hand-written
    batch that extends a generated sample (loaded on its own into the sample's warehouse)."""
    folder.mkdir(parents=True, exist_ok=True)
    for entity, text in files.items():
        (folder / f"{entity}.csv").write_text(text.strip() + "\n")
    if complete:
        (folder / "_SUCCESS").touch()
    if sample:
        (folder / "_SAMPLE").write_text("hand-written, extends the generated sample\n")
    return folder


@pytest.fixture(scope="session")
def hand_built(tmp_path_factory) -> Settings:
    """The hand fixture (tests/hand_fixture.py) loaded and built once, as of 2025-02-28;
    tests only read it."""
    from hand_fixture import AS_OF, FIXTURE

    from salesperf.build import build
    from salesperf.load import load_path

    root = tmp_path_factory.mktemp("hand")
    write_batch(root / "landing" / "20250301T000000_full", FIXTURE)
    settings = load_settings(
        {"SALESPERF_WAREHOUSE": str(root / "w.duckdb"), "SALESPERF_LANDING": str(root / "landing")}
    )
    results = load_path(settings.warehouse, root / "landing")
    assert sum(r.quarantined for r in results) == 0
    build(settings, as_of_date=AS_OF)
    return settings
