"""Bring your own CRM: the shipped Salesforce and HubSpot mappings on small hand-built
exports (tests/fixtures/), the validation errors, and two CRMs in one warehouse.

January 2025, as of 2025-01-31. The expected numbers are worked out from the fixture
files by hand; the comments say how.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from salesperf.build import build
from salesperf.errors import UserError
from salesperf.load import load_path
from salesperf.mapping import check, read_mapping
from salesperf.settings import load_settings
from salesperf_cli import main, map_exports

FIXTURES = Path(__file__).with_name("fixtures")
JAN = "2025-01-01"


def warehouse_from(tmp: Path, exports: list[str], mappings: list[str]) -> Path:
    settings = load_settings(
        {"SALESPERF_WAREHOUSE": str(tmp / "w.duckdb"), "SALESPERF_LANDING": str(tmp / "landing")}
    )
    mapped = map_exports([FIXTURES / e for e in exports], mappings, settings)
    results = load_path(settings.warehouse, mapped)
    assert sum(r.quarantined for r in results) == 0
    build(settings, as_of_date="2025-01-31")
    return settings.warehouse


def one(warehouse: Path, sql: str) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute(sql)
        row = cur.fetchone()
        assert row is not None, sql
        return dict(zip([d[0] for d in cur.description], row, strict=True))


@pytest.fixture(scope="module")
def salesforce(tmp_path_factory) -> Path:
    return warehouse_from(tmp_path_factory.mktemp("sf"), ["salesforce"], ["salesforce"])


@pytest.fixture(scope="module")
def hubspot(tmp_path_factory) -> Path:
    return warehouse_from(tmp_path_factory.mktemp("hs"), ["hubspot"], ["hubspot"])


def test_salesforce_export_gives_every_role_its_kpis(salesforce):
    # Sam (SDR) sent two handoffs: 00Q..1 (BANT all true, 250 employees: qualified),
    # accepted and converted into 006..1 (5000, won 25 Jan); 00Q..2 (no budget, 30
    # employees) rejected. Three Tasks of subtype Call; the Email is not a call.
    sdr = one(salesforce, f"select * from marts.kpi_sdr_monthly where month = '{JAN}'")
    assert sdr["sdr_user_id"] == "005000000000001"
    assert (sdr["leads_sent"], sdr["qualified_leads_sent"], sdr["qualified_lead_rate"]) == (
        2,
        1,
        0.5,
    )
    assert (sdr["calls"], sdr["handoffs_accepted"], sdr["handoffs_rejected"]) == (3, 1, 1)
    assert (sdr["sourced_pipeline_amount"], sdr["sourced_won_amount"]) == (5000, 5000)
    # Alex (AE) owns 006..1 (won 5000) and 006..2 (lost 3000), both open in January
    ae = one(salesforce, "select * from marts.kpi_ae_monthly where ae_user_id = '005000000000002'")
    assert (ae["deals_won"], ae["deals_lost"], ae["win_rate"]) == (1, 1, 0.5)
    assert (ae["bookings_amount"], ae["opportunities_worked"], ae["handoffs_received"]) == (
        5000,
        2,
        2,
    )
    # Mia (AM) owns Acme: contracts 12000 (since June 2024) + 1000 (from 28 Jan) on
    # 31 Jan = 13000; initial value 12000; the won upgrade 006..3 is expansion
    am = one(salesforce, "select * from marts.kpi_am_monthly where am_user_id = '005000000000003'")
    assert (am["portfolio_value"], am["initial_portfolio_value"], am["expansion_amount"]) == (
        13000,
        12000,
        1000,
    )
    company = one(salesforce, f"select * from marts.kpi_company_monthly where month = '{JAN}'")
    # 5000 + 1000 won; Acme is the one new customer; no costs were exported: no CAC
    assert (company["revenue"], company["new_customers"]) == (6000, 1)
    assert (company["sales_and_marketing_cost"], company["cac"]) == (None, None)
    reasons = one(salesforce, "select * from marts.kpi_handoff_rejection_reasons")
    assert (reasons["rejection_reason"], reasons["rejections"]) == ("No budget", 1)
    # the queue-owned lead is unassigned; the VP is not a rep
    roles = one(
        salesforce,
        "select count(*) filter (where role = 'MANAGER') as managers, "
        "count(*) filter (where team_id = 'Pod East') as in_pod from marts.dim_reps",
    )
    assert roles == {"managers": 1, "in_pod": 3}


def test_salesforce_history_gives_the_pipeline_as_it_stood(salesforce):
    """OpportunityHistory rows are versions: the pipeline on a past Monday shows each deal
    in the stage, amount and probability it had then (Salesforce's own, not the seed's)."""
    with duckdb.connect(str(salesforce), read_only=True) as con:
        rows = con.execute(
            """select snapshot_date::varchar, stage, forecast_category, open_pipeline_amount,
                weighted_pipeline_amount
            from marts.kpi_pipeline_snapshots
            where scope = 'company' and snapshot_grain = 'week'
            order by 1, 2"""
        ).fetchall()
    assert rows == [
        # 6 Jan: 006..2, created on the 5th at 3000, 10 %
        ("2025-01-06", "Prospecting", "pipeline", 3000, 300),
        # 13 Jan: 006..1 quoted 4000 at 10 %, 006..2 3000 at 10 %
        ("2025-01-13", "Prospecting", "pipeline", 7000, 700),
        # 20 Jan: 006..1 moved to Negotiation at 5000, 80 % (category Forecast = commit);
        # 006..2 is lost only at 16:00 that day
        ("2025-01-20", "Negotiation", "commit", 5000, 4000),
        ("2025-01-20", "Prospecting", "pipeline", 3000, 300),
    ]


def test_hubspot_export_gives_kpis_and_null_for_what_it_lacks(hubspot):
    # Sara (SDR team) made 4 calls; HubSpot has no handoffs: the handoff KPIs are unknown
    sdr = one(hubspot, f"select * from marts.kpi_sdr_monthly where month = '{JAN}'")
    assert (sdr["sdr_user_id"], sdr["calls"]) == ("501", 4)
    assert (sdr["leads_sent"], sdr["qualified_leads_sent"], sdr["acceptance_rate"]) == (
        None,
        None,
        None,
    )
    # Omar (AE team): 8001 won 7000, 8002 lost, 8003 still open: worked 3
    ae = one(hubspot, "select * from marts.kpi_ae_monthly where ae_user_id = '502'")
    assert (ae["deals_won"], ae["deals_lost"], ae["bookings_amount"]) == (1, 1, 7000)
    assert (ae["opportunities_worked"], ae["win_rate"]) == (3, 0.5)
    # Ana (AM team): no contracts in a HubSpot export, so the book's value is unknown; the
    # existing-business deal 8004 (1500) on her company is expansion
    am = one(hubspot, "select * from marts.kpi_am_monthly where am_user_id = '503'")
    assert (am["portfolio_value"], am["expansion_amount"]) == (None, 1500)
    company = one(hubspot, f"select * from marts.kpi_company_monthly where month = '{JAN}'")
    assert (company["revenue"], company["new_customers"], company["cac"]) == (8500, 1, None)
    # 8003 is open: HubSpot's stage probability weights it, 2500 x 0.6, best case
    pipeline = one(
        hubspot,
        "select * from marts.kpi_pipeline_snapshots where scope = 'company' "
        "and snapshot_grain = 'as_of'",
    )
    assert (pipeline["stage"], pipeline["forecast_category"]) == (
        "presentationscheduled",
        "best_case",
    )
    assert (pipeline["open_pipeline_amount"], pipeline["weighted_pipeline_amount"]) == (2500, 1500)
    # the leaderboard and scorecard marts build too; with no goals the scorecard is empty
    board = one(
        hubspot,
        "select value, rank from marts.kpi_leaderboard where role = 'SDR' and metric = 'calls' "
        f"and grain = 'month' and period_start = '{JAN}' and entity_id = '501'",
    )
    assert board == {"value": 4, "rank": 1}
    assert one(hubspot, "select count(*) as n from marts.kpi_scorecard") == {"n": 0}


@pytest.mark.dbt
def test_two_crms_feed_one_warehouse_with_distinct_ids(tmp_path):
    warehouse = warehouse_from(tmp_path, ["salesforce", "hubspot"], ["salesforce", "hubspot"])
    company = one(warehouse, f"select * from marts.kpi_company_monthly where month = '{JAN}'")
    assert (company["revenue"], company["new_customers"]) == (6000 + 8500, 2)
    reps = one(
        warehouse,
        "select count(*) filter (where user_id like 'salesforce:%') as sf, "
        "count(*) filter (where user_id like 'hubspot:%') as hs from marts.dim_reps",
    )
    assert reps == {"sf": 4, "hs": 4}
    # every raw row keeps the name of the source it came from
    sources = one(
        warehouse,
        "select count(distinct _extra->>'source_system') as n, "
        "count(*) filter (where _extra->>'source_system' is null) as missing from raw.users",
    )
    assert sources == {"n": 2, "missing": 0}


def test_check_reports_what_would_load_and_loads_nothing(tmp_path):
    reports = check(read_mapping("salesforce"), FIXTURES / "salesforce")
    # 7 tasks and events: the Task of subtype 'Task' is not an activity
    activities = reports["activities"]
    assert (activities.source_rows, activities.filtered_out, activities.would_load) == (7, 1, 6)
    # 3 opportunities as they are now, and 3 earlier versions from OpportunityHistory: the
    # two history rows as new as their opportunity are its current state, not versions
    opportunities = reports["opportunities"]
    assert (opportunities.would_load, opportunities.filtered_out) == (6, 2)
    assert "goals" not in reports
    assert not (tmp_path / "w.duckdb").exists()


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "m.yml"
    path.write_text(text)
    return str(path)


BASE = """
name: mine
entities:
  teams:
    from: teams.csv
    columns:
      team_id: id
      team_name: {column}
      updated_at: {{const: "2000-01-01"}}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: x\nentities:\n  deals:\n    from: d.csv\n    columns: {}\n",
            "unknown entity 'deals'",
        ),
        (
            BASE.format(column="name") + "      colour: name\n",
            "unknown column 'colour' for teams",
        ),
        (
            "name: x\nentities:\n  teams:\n    from: teams.csv\n    columns:\n      team_id: id\n",
            "required column(s) team_name, updated_at of teams not mapped",
        ),
        (BASE.format(column="nmae"), "column 'nmae' is not in teams.csv; closest: name"),
        (
            BASE.format(column="{expr: 'upper(src.\"name\"'}"),
            "entities.teams[0].columns.team_name: does not parse",
        ),
        (
            BASE.format(column="{expr: 'src.\"label\"'}"),
            "entities.teams[0].columns.team_name:",
        ),
        ("name: [unclosed\n", "not valid YAML"),
        (
            # an expression may read only the export's own files
            BASE.format(column="{expr: \"(select max(column0) from read_csv('/etc/hostname'))\"}"),
            "a mapping may read only the export's own files",
        ),
    ],
)
def test_mapping_errors_are_clear(tmp_path, text, message):
    export = tmp_path / "export"
    export.mkdir()
    (export / "teams.csv").write_text("id,name\n1,North\n")
    with pytest.raises(UserError) as raised:
        check(read_mapping(write(tmp_path, text)), export)
    assert message in str(raised.value)


def test_cli_mapping_check_and_unknown_mapping(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SALESPERF_WAREHOUSE", str(tmp_path / "w.duckdb"))
    assert main(["mapping", "check", str(FIXTURES / "hubspot"), "--mapping", "hubspot"]) == 0
    report = capsys.readouterr().out
    assert "activities" in report and "not mapped (absent; their KPIs are NULL)" in report
    assert main(["mapping", "check", str(FIXTURES / "hubspot"), "--mapping", "pipedrive"]) == 2
    assert "mapping 'pipedrive' not found: use hubspot, salesforce" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_extras_and_aggregate_joins(tmp_path):
    """A HubSpot-like owners file with no hire date: the hire date is the owner's first
    engagement (an aggregate join), and the owner's `seat` custom field is carried into
    raw.users._extra. Ann's engagements: 2024-03-05 and 2024-02-10 -> hired 2024-02-10;
    Bo has none -> no hire date."""
    export = tmp_path / "export"
    export.mkdir()
    (export / "owners.csv").write_text(
        "id,name,seat,updated\n1,Ann,gold,2025-01-01\n2,Bo,silver,2025-01-01\n"
    )
    (export / "engagements.csv").write_text(
        "owner,created\n1,2024-03-05T10:00:00\n1,2024-02-10T09:00:00\n"
    )
    mapping = write(
        tmp_path,
        """
name: mine
entities:
  users:
    from: owners.csv
    extras: [seat]
    joins:
      - from: engagements.csv
        as: first
        aggregate: {group_by: owner, columns: {first_at: 'min(created)'}}
        on: 'first.owner = src.id'
    columns:
      user_id: id
      full_name: name
      role: {const: AE}
      hire_date: {expr: 'cast(cast(first.first_at as timestamp) as date)'}
      updated_at: updated
""",
    )
    out = tmp_path / "mapped"
    from salesperf.mapping import apply

    apply(read_mapping(mapping), export, out)
    warehouse = tmp_path / "w.duckdb"
    load_path(warehouse, out)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select user_id, hire_date::varchar, _extra->>'seat' from raw.users order by 1"
        ).fetchall()
    assert rows == [("1", "2024-02-10", "gold"), ("2", None, "silver")]


def test_an_aggregate_join_needs_its_group_column(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "teams.csv").write_text("id,name\n1,North\n")
    text = BASE.format(column="name") + (
        "    joins:\n      - from: teams.csv\n        as: t\n"
        "        aggregate: {group_by: team, columns: {n: 'count(*)'}}\n"
        "        on: 't.id = src.id'\n"
    )
    with pytest.raises(UserError, match=r"column 'team' is not in teams\.csv"):
        check(read_mapping(write(tmp_path, text)), export)
