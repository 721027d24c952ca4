"""Real exports are not the generator's: a subset of the entities, batches in another
order, references ahead of the records they name, dirty values. Each shape here is cut
from one tiny generated sample and run end to end (load, dbt, the quality gate, publish,
Parquet, dashboard, every `salesperf kpis` mode); what an undelivered entity feeds is
unknown (NULL), never a crash and never 0. The dirty files themselves are tested fast in
test_bad_input; here is what they do to a whole run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from salesperf.build import BuildFailed
from salesperf.contract import ENTITIES
from salesperf.dashboard import write_dashboard
from salesperf.errors import UserError
from salesperf.generate import GeneratorConfig, generate
from salesperf.load import load_path
from salesperf.metrics import query
from salesperf.notices import data_notices
from salesperf.pipeline_review import pipeline_report
from salesperf.publish import export_parquet
from salesperf.report import kpi_report, leaderboard_report, scorecard_report
from salesperf.settings import Settings, load_settings
from salesperf.warehouse_io import serving_path
from salesperf_cli import main


@pytest.fixture(scope="module")
def tiny_sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "crm"
    generate(GeneratorConfig(seed=5, reps=10, months=2, delta_days=1), out)
    return out


def cut(sample: Path, entities: set[str], out: Path, *, rename: dict[str, str] | None = None):
    """Copy the sample's batches with only `entities`' files (and no sample marker: a cut
    sample stands for a company's own export). `rename` renames batch folders, which
    changes their delivery order."""
    for batch in sorted(p for p in sample.iterdir() if p.is_dir()):
        target = out / (rename or {}).get(batch.name, batch.name)
        target.mkdir(parents=True)
        for f in batch.iterdir():
            if f.name == "_SUCCESS" or f.name.split(".")[0] in entities:
                shutil.copy(f, target / f.name)
    return out


def settings_for(root: Path, monkeypatch) -> Settings:
    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(root / "w.duckdb"))
    monkeypatch.setenv("SALESPERF_LANDING", str(root / "landing"))
    monkeypatch.setenv("DAGSTER_HOME", str(root / "dagster_home"))
    return load_settings()


@pytest.fixture(scope="module")
def in_order(tiny_sample, tmp_path_factory) -> Path:
    """The whole sample as a company's export, delivered in order and run once: the
    reference the shuffled delivery must equal, and the good day before the fat finger."""
    from orchestration.runner import run_pipeline

    root = tmp_path_factory.mktemp("in_order")
    with pytest.MonkeyPatch.context() as monkeypatch:
        settings = settings_for(root, monkeypatch)
        extracts = cut(tiny_sample, ALL, root / "export")
        run_pipeline(settings, extracts, instance=dg.DagsterInstance.ephemeral())
    return root


def conserved(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        bad = con.execute(
            "select count(*) from raw._load_manifest "
            "where rows_received != rows_loaded + rows_quarantined"
        ).fetchone()[0]
        quarantined = con.execute("select count(*) from raw._quarantine").fetchone()[0]
        counted = con.execute("select sum(rows_quarantined) from raw._load_manifest").fetchone()
    assert bad == 0
    assert quarantined == (counted[0] or 0)


def company(settings: Settings, column: str) -> list:
    with duckdb.connect(str(serving_path(settings)), read_only=True) as con:
        return [
            r[0]
            for r in con.execute(
                f"select {column} from marts.kpi_company_monthly order by month"
            ).fetchall()
        ]


ALL = set(ENTITIES)
SHAPES = {
    # a CRM with no goals, coaching or contests set up
    "no goals, coaching or contests": ALL - {"goals", "coaching_sessions", "contests"},
    # an opportunity export: deals and their owners
    "users and opportunities": {"users", "opportunities"},
    # a marketing funnel: leads, SDR->closer handoffs and the deals they made
    "users, leads, handoffs and opportunities": {
        "users",
        "leads",
        "lead_handoffs",
        "opportunities",
    },
}


@pytest.mark.e2e
@pytest.mark.parametrize("entities", SHAPES.values(), ids=SHAPES.keys())
def test_any_subset_runs_end_to_end_and_says_what_is_unknown(
    entities, tiny_sample, tmp_path, monkeypatch, capsys
):
    from orchestration.runner import run_pipeline

    settings = settings_for(tmp_path, monkeypatch)
    extracts = cut(tiny_sample, entities, tmp_path / "export")
    run_pipeline(settings, extracts, instance=dg.DagsterInstance.ephemeral())
    conserved(settings)

    # every reader works on what was published
    assert export_parquet(settings)
    pages = write_dashboard(settings, tmp_path / "dashboard")
    assert "Sales performance" in pages.index.read_text()
    assert "Leaderboard" in pages.tv.read_text()
    report = kpi_report(serving_path(settings))
    assert report.startswith("Company KPIs for 2025-0")
    assert leaderboard_report(serving_path(settings), "bookings_amount", "AE")
    assert "Scorecard for" in scorecard_report(serving_path(settings), "U000001")
    review = pipeline_report(serving_path(settings))
    assert review.startswith("Pipeline review for the company") and "Open pipeline" in review
    data_notices(settings.warehouse)  # says what it finds, never raises

    missing = ALL - entities
    if missing:
        # the report and the dashboard name what was not delivered
        assert "not delivered: " in report
        for entity in missing:
            assert entity in report.split("not delivered: ", 1)[1]
        subtitle = pages.index.read_text().split("not delivered: ", 1)[1].split("(", 1)[0]
        assert set(subtitle.strip().split(", ")) == missing
    # KPIs from an undelivered entity are unknown: NULL in every month, never 0
    unknown = {
        "costs": "sales_and_marketing_cost",
        "activities": "calls_per_rep",
        "leads": "lead_to_opportunity_rate",
        "comp_plans": "commission_expense",
    }
    for entity, column in unknown.items():
        values = company(settings, column)
        if entity in missing:
            assert values and all(v is None for v in values), (entity, values)
    # revenue needs only opportunities: known in every shape here
    assert any(v for v in company(settings, "revenue"))
    if entities == SHAPES["users and opportunities"]:
        # the semantic layer answers too: revenue per month, calls unknown
        rows = query(settings, ["revenue", "calls_per_rep"])
        assert rows and all(r["calls_per_rep"] in ("", "None") for r in rows)
        assert sorted(float(r["revenue"]) for r in rows) == sorted(
            float(v) for v in company(settings, "revenue") if v is not None
        )

    # the CLI's own readers, as a user calls them
    assert main(["kpis"]) == 0
    assert main(["kpis", "--leaderboard", "bookings_amount", "--role", "AE"]) == 0
    assert main(["kpis", "--scorecard", "U000001"]) == 0
    assert main(["report", "--out", str(tmp_path / "report")]) == 0
    # a statement needs plans: without them, one clear line and exit 2
    statement = main(["kpis", "--statement", "U000001", "--period", "2025-01"])
    assert statement == (0 if "comp_plans" in entities else 2)
    if statement:
        assert "no comp plans were delivered" in capsys.readouterr().err
    capsys.readouterr()


@pytest.mark.e2e
def test_shuffled_batches_and_references_ahead_of_their_records_do_not_block(
    tiny_sample, in_order, tmp_path, monkeypatch, capsys
):
    """The delta is delivered first (its handoffs and deals name users and leads that
    arrive only with the full extract), then the full extract. Both runs publish; the
    second one's KPIs equal a run that got the batches in order."""
    from orchestration.runner import run_pipeline

    batches = sorted(p.name for p in tiny_sample.iterdir() if p.is_dir())
    first, delta = batches[0], batches[-1]
    shuffled = cut(
        tiny_sample,
        ALL,
        tmp_path / "export",
        rename={delta: "0001_delta_first", first: "0002_full_later"},
    )
    only_delta = tmp_path / "only_delta"
    shutil.copytree(shuffled / "0001_delta_first", only_delta / "0001_delta_first")

    settings = settings_for(tmp_path / "shuffled", monkeypatch)
    instance = dg.DagsterInstance.ephemeral()
    # the delta alone: its handoffs' SDRs and AEs are not delivered yet
    run_pipeline(settings, only_delta, instance=instance)
    notices = data_notices(settings.warehouse)
    assert not any("not delivered yet" in n for n in notices) or notices  # said, not blocking
    run_pipeline(settings, shuffled, instance=instance)
    conserved(settings)
    shuffled_revenue = company(settings, "revenue")

    assert shuffled_revenue == company(settings_for(in_order, monkeypatch), "revenue")
    capsys.readouterr()


@pytest.mark.e2e
def test_an_implausible_deal_blocks_the_publish_and_is_named(
    in_order, tmp_path, monkeypatch, capsys
):
    """A won deal of 500,000,000,000.00 (a misplaced decimal point) among ordinary deals:
    the plausibility gate fails, the last good publication stays, and the message names
    the opportunity, its batch and its file. A negative won deal is reported, not hidden."""
    from orchestration.runner import run_pipeline

    # yesterday's good run, copied: warehouse, serving file, extracts
    shutil.copytree(in_order, tmp_path, dirs_exist_ok=True)
    settings = settings_for(tmp_path, monkeypatch)
    extracts = tmp_path / "export"
    instance = dg.DagsterInstance.ephemeral()
    published = serving_path(settings).read_bytes()
    good_revenue = company(settings, "revenue")

    bad = extracts / "20990101T000000_fat_finger"
    bad.mkdir()
    (bad / "opportunities.csv").write_text(
        "opportunity_id,owner_id,opportunity_type,stage,amount,created_at,close_date,"
        "is_closed,is_won,updated_at\n"
        "O_FAT,U000005,new_business,closed_won,500000000000.00,2025-02-02T10:00:00,"
        "2025-02-20,true,true,2025-02-20T10:00:00\n"
        "O_NEG,U000005,new_business,closed_won,-5000.00,2025-02-02T10:00:00,"
        "2025-02-20,true,true,2025-02-20T10:00:00\n"
    )
    (bad / "_SUCCESS").touch()
    with pytest.raises(BuildFailed) as failed:
        run_pipeline(settings, extracts, instance=instance)
    message = str(failed.value)
    assert "plausibility_won_amounts" in message
    assert "opportunity O_FAT" in message
    assert "batch 20990101T000000_fat_finger" in message
    assert "opportunities.csv" in message
    assert serving_path(settings).read_bytes() == published
    assert company(settings, "revenue") == good_revenue
    # the negative deal is in the working marts; the run's notices name it
    assert any("O_NEG (-5,000.00)" in n for n in data_notices(settings.warehouse))
    capsys.readouterr()


# --- fast: the sample and a company's own data never mix ------------------------------


def test_own_extracts_are_refused_into_a_warehouse_holding_the_sample(tiny_sample, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load_path(warehouse, tiny_sample)
    own = cut(tiny_sample, {"users", "opportunities"}, tmp_path / "own")
    with pytest.raises(UserError, match=r"already holds the generated sample.*salesperf reset"):
        load_path(warehouse, own)
    # the refusal loaded nothing
    with duckdb.connect(str(warehouse), read_only=True) as con:
        origins = con.execute("select distinct origin from raw._batches").fetchall()
    assert origins == [("sample",)]


def test_reset_starts_a_new_warehouse_and_keeps_the_files(
    tiny_sample, tmp_path, monkeypatch, capsys
):
    settings = settings_for(tmp_path, monkeypatch)
    load_path(settings.warehouse, tiny_sample)
    assert main(["reset"]) == 2  # says what it would delete, deletes nothing
    assert "reset would delete" in capsys.readouterr().err
    assert settings.warehouse.exists()
    assert main(["reset", "--yes"]) == 0
    assert not settings.warehouse.exists()
    assert any(tiny_sample.iterdir())
    own = cut(tiny_sample, {"users", "opportunities"}, tmp_path / "own")
    load_path(settings.warehouse, own)  # now accepted


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MB filesystem: real, so the error is the operating system's own."""
    mount_point = tmp_path / "small_disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root: " + mounted.stderr.decode().strip())
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_says_so_on_the_error_line(tiny_sample, full_disk, monkeypatch, capsys):
    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(full_disk / "w.duckdb"))
    assert main(["load", str(tiny_sample)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("error: No space left on device"), lines[-3:]
