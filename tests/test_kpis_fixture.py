"""KPI values on a small hand-built CRM extract, through the whole stack (load + dbt build).

Every expected number below is worked out by hand from the fixture; the comments show how.
Period: January and February 2025, as of 2025-02-28. EUR is worth 1.20 from 1 Jan and
1.25 from 15 Feb.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from conftest import write_batch

from salesperf.build import build
from salesperf.load import load_path

FIXTURE = {
    "teams": """
team_id,team_name,region,manager_id,updated_at
T1,Pod A,EMEA,U5,2024-01-01
T2,Pod B,APAC,U5,2024-01-01
""",
    # U4 is an SDR promoted to AE on 10 Feb
    "users": """
user_id,full_name,email,role,team_id,manager_id,hire_date,termination_date,updated_at
U1,Sam SDR,sam@x.io,SDR,T1,U5,2024-01-01,,2024-01-01
U2,Alex AE,alex@x.io,AE,T1,U5,2024-01-01,,2024-01-01
U3,Mia AM,mia@x.io,AM,T1,U5,2024-01-01,,2024-01-01
U4,Pat Promoted,pat@x.io,SDR,T2,U5,2024-06-01,,2024-06-01
U4,Pat Promoted,pat@x.io,AE,T2,U5,2024-06-01,,2025-02-10T08:00:00
U5,Max Manager,max@x.io,MANAGER,T1,,2020-01-01,,2020-01-01
""",
    # L1 has timing confirmed only on 12 Jan; L4 is deleted
    "leads": """
lead_id,created_at,owner_id,source,email,phone,industry,employee_count,budget_confirmed,authority_confirmed,need_confirmed,timing_confirmed,status,updated_at,is_deleted
L1,2025-01-05T09:00:00,U1,Referral,a@p.io,1,software,80,true,true,true,false,working,2025-01-05T09:00:00,
L1,2025-01-05T09:00:00,U1,Referral,a@p.io,1,software,80,true,true,true,true,working,2025-01-12T09:00:00,
L2,2025-01-06T09:00:00,U1,,b@p.io,2,retail,30,true,true,true,true,working,2025-01-06T09:00:00,
L3,2025-01-07T09:00:00,U4,inbound,c@p.io,3,finance,200,true,true,true,true,working,2025-01-07T09:00:00,
L4,2025-02-03T09:00:00,U1,referral,d@p.io,4,retail,10,false,false,false,false,new,2025-02-03T09:00:00,
L4,2025-02-03T09:00:00,U1,referral,d@p.io,4,retail,10,false,false,false,false,new,2025-02-05T09:00:00,true
""",
    "lead_handoffs": """
handoff_id,lead_id,sdr_id,ae_id,sent_at,decision,decided_at,rejection_reason,feedback,opportunity_id,updated_at
H1,L1,U1,U2,2025-01-10T10:00:00,pending,,,,,2025-01-10T10:00:00
H1,L1,U1,U2,2025-01-10T10:00:00,rejected,2025-01-11T10:00:00,bad timing,Come back later,,2025-01-11T10:00:00
H2,L1,U1,U2,2025-01-15T10:00:00,accepted,2025-01-16T09:00:00,,,O1,2025-01-16T09:00:00
H3,L2,U1,U2,2025-01-20T10:00:00,rejected,2025-01-21T10:00:00,company too small,,,2025-01-21T10:00:00
H4,L3,U4,U2,2025-02-01T10:00:00,accepted,2025-02-02T09:00:00,,,O2,2025-02-02T09:00:00
H5,L4,U1,U2,2025-02-04T10:00:00,pending,,,,,2025-02-04T10:00:00
""",
    # O2 does not name its handoff: H4 names O2, so U4 sourced it. O5's amount is unknown.
    "opportunities": """
opportunity_id,account_id,owner_id,opportunity_type,stage,amount,currency,created_at,close_date,is_closed,is_won,lead_id,handoff_id,updated_at
O1,A1,U2,new_business,discovery,10000,,2025-01-16T10:00:00,2025-02-28,false,false,L1,H2,2025-01-16T10:00:00
O1,A1,U2,new_business,closed_won,10000,,2025-01-16T10:00:00,2025-02-14,true,true,L1,H2,2025-02-14T17:00:00
O2,A2,U2,new_business,proposal,5000,EUR,2025-02-02T10:00:00,2025-03-30,false,false,L3,,2025-02-02T10:00:00
O3,A1,U3,upsell,closed_won,2000,,2025-02-16T10:00:00,2025-02-20,true,true,,,2025-02-20T17:00:00
O4,A3,U2,new_business,closed_lost,3000,,2025-01-03T10:00:00,2025-01-25,true,false,,,2025-01-25T17:00:00
O5,A4,U2,new_business,closed_won,,,2025-01-10T10:00:00,2025-01-30,true,true,,,2025-01-30T17:00:00
""",
    "opportunity_stage_history": """
opportunity_id,entered_at,stage,updated_at
O1,2025-01-16T10:00:00,discovery,2025-01-16T10:00:00
O1,2025-02-14T17:00:00,closed_won,2025-02-14T17:00:00
""",
    "accounts": """
account_id,account_name,industry,employee_count,country,owner_id,created_at,updated_at
A1,Acme,software,80,DE,U3,2024-01-01,2024-01-01
A2,Beta,finance,200,KR,,2025-02-02,2025-02-02
A3,Gamma,retail,40,TH,,2025-01-03,2025-01-03
A4,Delta,retail,60,US,U3,2025-01-10,2025-01-10
A5,Old Co,software,500,US,U3,2023-01-01,2023-01-01
""",
    "contracts": """
contract_id,account_id,opportunity_id,start_date,end_date,annual_value,currency,updated_at
K1,A1,O1,2025-02-20,2026-02-19,10000,,2025-02-19
K2,A1,O3,2025-02-21,2026-02-19,2000,,2025-02-20
K3,A5,,2024-02-01,2025-01-31,6000,,2024-01-31
K4,A4,O5,2025-02-01,,1000,EUR,2025-01-31
""",
    "fx_rates": """
currency,rate_date,rate_to_reporting,updated_at
EUR,2025-01-01,1.2,2025-01-01
EUR,2025-02-15,1.25,2025-02-15
""",
    # C10 is logged and then deleted
    "activities": """
activity_id,owner_id,activity_type,occurred_at,duration_seconds,outcome,lead_id,opportunity_id,updated_at,is_deleted
C1,U1,call,2025-01-06T10:00:00,60,connected,L1,,2025-01-06T10:00:00,
C2,U1,call,2025-01-07T10:00:00,60,connected,L1,,2025-01-07T10:00:00,
C3,U1,call,2025-01-08T10:00:00,60,voicemail,L2,,2025-01-08T10:00:00,
C4,U1,call,2025-01-09T10:00:00,60,connected,L2,,2025-01-09T10:00:00,
C11,U1,email,2025-01-09T11:00:00,0,completed,L2,,2025-01-09T11:00:00,
C5,U4,call,2025-02-05T10:00:00,60,connected,L3,,2025-02-05T10:00:00,
C6,U4,call,2025-02-12T10:00:00,60,connected,,O2,2025-02-12T10:00:00,
C7,U2,call,2025-01-20T10:00:00,60,connected,,O1,2025-01-20T10:00:00,
C8,U2,call,2025-02-01T10:00:00,60,connected,,O1,2025-02-01T10:00:00,
C9,U2,call,2025-01-20T11:00:00,60,connected,,O4,2025-01-20T11:00:00,
C10,U2,call,2025-01-21T10:00:00,60,connected,,,2025-01-21T10:00:00,
C10,U2,call,2025-01-21T10:00:00,60,connected,,,2025-01-22T10:00:00,true
""",
    "costs": """
cost_id,month,category,amount,currency,updated_at
Q1,2025-01-01,sales,3000,,2025-01-31
Q2,2025-01-01,marketing,1000,,2025-01-31
Q3,2025-02-01,sales,3000,,2025-02-28
Q4,2025-02-01,marketing,500,EUR,2025-02-28
Q5,2025-02-01,tools,100,,2025-02-28
""",
    "goals": """
goal_id,scope,scope_id,metric,grain,period_start,target,updated_at
G1,user,U2,bookings_amount,month,2025-01-01,20000,2024-12-28
G2,user,U2,bookings_amount,month,2025-02-01,8000,2025-01-28
G3,user,U1,calls,week,2025-01-06,5,2025-01-03
G4,team,T1,calls,month,2025-01-01,10,2024-12-28
G5,company,,calls,month,2025-02-01,0,2025-01-28
""",
    "coaching_sessions": """
session_id,coach_id,coachee_id,occurred_at,duration_minutes,topic,target_metric,updated_at
S1,U2,U1,2025-01-20T15:00:00,30,discovery,qualified_lead_rate,2025-01-20T16:00:00
""",
    "contests": """
contest_id,contest_name,metric,scope,scope_value,start_date,end_date,updated_at
K1,Call Blitz,calls,role,SDR,2025-01-01,2025-01-31,2024-12-20
""",
}

JAN, FEB = "2025-01-01", "2025-02-01"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    from salesperf.settings import load_settings

    root = tmp_path_factory.mktemp("fixture")
    write_batch(root / "landing" / "20250301T000000_full", FIXTURE)
    settings = load_settings({"SALESPERF_WAREHOUSE": str(root / "w.duckdb")})
    results = load_path(settings.warehouse, root / "landing")
    assert sum(r.quarantined for r in results) == 0
    build(settings, as_of_date="2025-02-28")
    return settings.warehouse


def rows(warehouse: Path, sql: str) -> dict:
    """Query -> {first column(s): {column: value}}."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        out = {}
        for r in cur.fetchall():
            rec = dict(zip(cols, r, strict=True))
            out[(str(r[0]), str(r[1]))] = rec
        return out


def test_sdr_kpis(warehouse):
    got = rows(warehouse, "select * from marts.kpi_sdr_monthly")
    # U1, January: H1, H2, H3 sent. H1 went out before L1's timing was confirmed (not
    # qualified), H2 after (qualified), H3's lead has 30 employees (< 50): 1 of 3.
    u1_jan = got[("U1", JAN)]
    assert u1_jan["leads_sent"] == 3
    assert u1_jan["qualified_leads_sent"] == 1
    assert u1_jan["qualified_lead_rate"] == pytest.approx(1 / 3)
    assert u1_jan["calls"] == 4  # C1..C4; the email does not count
    assert u1_jan["qualification_efficiency"] == pytest.approx(1 / 4)
    assert (u1_jan["handoffs_accepted"], u1_jan["handoffs_rejected"]) == (1, 2)
    assert u1_jan["acceptance_rate"] == pytest.approx(1 / 3)
    assert u1_jan["sourced_pipeline_amount"] == 10000  # O1, created 16 Jan from H2
    assert u1_jan["sourced_won_amount"] == 0
    # U1, February: H5 on a lead deleted since (never qualified), still pending
    u1_feb = got[("U1", FEB)]
    assert (u1_feb["leads_sent"], u1_feb["qualified_leads_sent"]) == (1, 0)
    assert u1_feb["qualified_lead_rate"] == 0
    assert u1_feb["calls"] == 0 and u1_feb["qualification_efficiency"] is None
    assert u1_feb["acceptance_rate"] is None  # nothing decided
    assert u1_feb["sourced_won_amount"] == 10000  # O1 won 14 Feb
    # U4, February: SDR until 10 Feb. H4 qualified and accepted; only C5 was made as an
    # SDR (C6 came after the promotion). O2 (5000 EUR on 2 Feb at 1.20) is U4's through
    # H4, because O2 names no handoff.
    u4_feb = got[("U4", FEB)]
    assert (u4_feb["leads_sent"], u4_feb["qualified_leads_sent"], u4_feb["calls"]) == (1, 1, 1)
    assert u4_feb["acceptance_rate"] == 1
    assert u4_feb["sourced_pipeline_amount"] == pytest.approx(6000)
    assert set(got) == {("U1", JAN), ("U1", FEB), ("U4", JAN), ("U4", FEB)}


def test_ae_kpis(warehouse):
    got = rows(warehouse, "select * from marts.kpi_ae_monthly")
    # U2, January: O1 (open), O4 (lost 25 Jan), O5 (won 30 Jan) worked; O2 not yet created
    jan = got[("U2", JAN)]
    assert jan["opportunities_worked"] == 3
    assert (jan["deals_won"], jan["deals_lost"]) == (1, 1)
    assert jan["close_rate"] == pytest.approx(1 / 3)
    assert jan["win_rate"] == 0.5
    assert jan["bookings_amount"] is None  # O5's amount is unknown: not 0
    assert jan["avg_deal_size"] is None
    assert jan["avg_sales_cycle_days"] == 20  # 10 Jan -> 30 Jan
    assert (jan["handoffs_received"], jan["handoffs_accepted"], jan["handoffs_rejected"]) == (
        3,
        1,
        2,
    )
    assert jan["calls_per_opportunity"] == 0.5  # C9 on O4, nothing on O5: 1 call / 2 closed
    # U2, February: O1 (won 14 Feb) and O2 (open) worked
    feb = got[("U2", FEB)]
    assert feb["opportunities_worked"] == 2
    assert (feb["deals_won"], feb["close_rate"], feb["win_rate"]) == (1, 0.5, 1)
    assert feb["bookings_amount"] == 10000 and feb["avg_deal_size"] == 10000
    assert feb["avg_sales_cycle_days"] == 29  # 16 Jan -> 14 Feb
    assert (feb["handoffs_received"], feb["handoffs_accepted"]) == (2, 1)  # H4, H5
    assert feb["calls_per_opportunity"] == 2  # C7 and C8 on O1
    # U4 became an AE on 10 Feb: a February row with nothing to show yet
    assert got[("U4", FEB)]["opportunities_worked"] == 0
    assert got[("U4", FEB)]["win_rate"] is None
    assert set(got) == {("U2", JAN), ("U2", FEB), ("U4", FEB)}


def test_am_kpis(warehouse):
    got = rows(warehouse, "select * from marts.kpi_am_monthly")
    # January 31: only K3 (A5, 6000, ends that day) is active. Initial values: A5's first
    # contract (6000); A1 and A4 have not started any yet (0).
    jan = got[("U3", JAN)]
    assert jan["accounts_owned"] == 3  # A1, A4, A5
    assert (jan["portfolio_value"], jan["initial_portfolio_value"]) == (6000, 6000)
    assert jan["upsell_rate"] == 0
    # retention base: A5 (6000 on 31 Dec) -> 6000 on 31 Jan
    assert (jan["starting_portfolio_value"], jan["retained_portfolio_value"]) == (6000, 6000)
    assert jan["net_revenue_retention"] == 1 and jan["churned_accounts"] == 0
    assert jan["expansion_amount"] == 0
    # February 28: A1 = K1 10000 + K2 2000; A4 = K4 1000 EUR at 1.25; A5 = 0 (ended)
    feb = got[("U3", FEB)]
    assert feb["portfolio_value"] == pytest.approx(12000 + 1250)
    # initial: A1 on 20 Feb = K1 10000; A4 on 1 Feb = 1000 EUR at 1.20; A5 = 6000
    assert feb["initial_portfolio_value"] == pytest.approx(10000 + 1200 + 6000)
    assert feb["upsell_rate"] == pytest.approx((13250 - 17200) / 17200)
    # base: A5 (6000 on 31 Jan) churned to 0
    assert (feb["retention_base_accounts"], feb["churned_accounts"]) == (1, 1)
    assert feb["net_revenue_retention"] == 0
    assert feb["expansion_amount"] == 2000  # O3, upsell won on A1


def test_company_kpis(warehouse):
    got = {
        str(r["month"]): r
        for r in rows(warehouse, "select month, 1 as k, * from marts.kpi_company_monthly").values()
    }
    jan, feb = got[JAN], got[FEB]
    # January: the only won deal (O5) has an unknown amount -> revenue unknown, not 0
    assert jan["revenue"] is None and jan["revenue_per_rep"] is None
    assert (jan["deals_won"], jan["deals_lost"], jan["win_rate"]) == (1, 1, 0.5)
    # created in January: O1, O4, O5; won to date: O1, O5
    assert jan["opportunities_created"] == 3
    assert jan["opportunity_conversion_rate"] == pytest.approx(2 / 3)
    # leads L1, L2, L3; L1 -> O1 and L3 -> O2
    assert jan["lead_to_opportunity_rate"] == pytest.approx(2 / 3)
    assert jan["quota_carrying_reps"] == 2  # U2 (AE), U3 (AM)
    assert jan["calls"] == 6 and jan["active_reps"] == 4  # C1-C4, C7, C9; C10 deleted
    assert jan["calls_per_rep"] == 1.5
    assert jan["calls_per_opportunity"] == 0.5
    assert jan["customers"] == 1 and jan["new_customers"] == 1  # A4 through O5
    assert jan["sales_and_marketing_cost"] == 4000 and jan["cac"] == 4000
    # February: O1 10000 + O3 2000 won
    assert feb["revenue"] == 12000
    assert feb["win_rate"] == 1
    assert feb["avg_sales_cycle_days"] == pytest.approx((29 + 4) / 2)
    assert feb["opportunity_conversion_rate"] == 0.5  # O2 open, O3 won
    assert feb["leads_created"] == 0 and feb["lead_to_opportunity_rate"] is None  # L4 deleted
    assert feb["quota_carrying_reps"] == 3  # U2, U3, and U4 from 10 Feb
    assert feb["revenue_per_rep"] == 4000
    assert feb["calls_per_rep"] == 0.75  # C5, C6, C8 over U1-U4
    assert feb["calls_per_opportunity"] == 1  # 2 calls on O1, none on O3
    assert feb["customers"] == 1 and feb["avg_basket_per_customer"] == 12000
    assert feb["new_customers"] == 1  # A1 (O3 is an upsell, never a new customer)
    # sales 3000 + marketing 500 EUR at the month-end rate 1.25; tools excluded
    assert feb["sales_and_marketing_cost"] == pytest.approx(3625)
    assert feb["cac"] == pytest.approx(3625)


def test_team_lead_source_and_rejection_marts(warehouse):
    teams = rows(warehouse, "select team_id, month, * from marts.kpi_team_monthly")
    # U4 (T2) made C5 and C6 in February; U2 (T1) made C8
    assert teams[("T2", FEB)]["calls"] == 2 and teams[("T1", FEB)]["calls"] == 1
    assert teams[("T1", FEB)]["revenue"] == 12000
    sources = rows(warehouse, "select lead_source, month, * from marts.kpi_lead_source_monthly")
    referral = sources[("referral", JAN)]
    assert (referral["leads_created"], referral["qualified_share"]) == (1, 1)
    assert (referral["win_rate"], referral["revenue"]) == (1, 10000)
    unknown = sources[("unknown", JAN)]  # L2 had no source
    assert (unknown["leads_created"], unknown["qualified_share"]) == (1, 0)
    assert sources[("inbound", JAN)]["win_rate"] is None  # O2 still open
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reasons = con.execute(
            "select ae_user_id, sdr_user_id, rejection_reason, month::varchar, rejections "
            "from marts.kpi_handoff_rejection_reasons order by rejection_reason"
        ).fetchall()
    assert reasons == [
        ("U2", "U1", "bad timing", JAN, 1),
        ("U2", "U1", "company too small", JAN, 1),
    ]


def test_marts_carry_no_personal_data(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and (column_name like '%email%' "
            "or column_name like '%phone%')"
        ).fetchall()
        assert sorted(columns) == [("dim_leads", "email_hash"), ("dim_leads", "phone_hash")]
        hashes = con.execute(
            "select email_hash, phone_hash from marts.dim_leads where lead_id = 'L1'"
        ).fetchone()
    # a salted SHA-256 of the normalised value: 64 hex digits, not the address itself
    assert all(len(h) == 64 and set(h) <= set("0123456789abcdef") for h in hashes)
    assert hashes[0] != hashlib.sha256(b"a@p.io").hexdigest()  # the salt is applied


def test_scorecard_quota_and_leaderboards(warehouse):
    card = rows(warehouse, "select goal_id, metric, * from marts.kpi_scorecard")
    # G1: U2's only January win (O5) has no amount - unknown, not 0 - so no attainment
    g1 = card[("G1", "bookings_amount")]
    assert (g1["actual"], g1["attainment"], g1["period_status"]) == (None, None, "complete")
    # G2: O1 won 10000 on 14 Feb against 8000; as of 28 Feb all 20 business days are gone
    g2 = card[("G2", "bookings_amount")]
    assert (g2["actual"], g2["attainment"], g2["period_status"]) == (10000, 1.25, "current")
    assert (g2["business_days_in_period"], g2["business_days_elapsed"]) == (20, 20)
    assert (g2["expected_to_date"], g2["pace"]) == (8000, 1.25)
    # G3: U1's calls C1-C4 in the week of 6 Jan: 4 of 5
    assert card[("G3", "calls")]["attainment"] == 0.8
    # G4: team T1 in January: U1's 4 calls + U2's C7 and C9 (C10 was deleted)
    assert card[("G4", "calls")]["actual"] == 6
    # G5: a zero target: 3 February calls (C5, C6, C8), no attainment
    g5 = card[("G5", "calls")]
    assert (g5["actual"], g5["attainment"]) == (3, None)

    quota = rows(warehouse, "select user_id, period_start, * from marts.kpi_quota_attainment")
    assert quota[("U2", JAN)]["quota"] == 20000 and quota[("U2", JAN)]["attainment"] is None
    assert quota[("U2", FEB)]["attainment"] == 1.25 and quota[("U2", FEB)]["is_at_or_above_quota"]
    # U4, an AE from 10 Feb, and U3 (AM) carry no quota
    assert quota[("U4", FEB)]["quota"] is None and quota[("U3", FEB)]["bookings_amount"] == 2000
    company = rows(
        warehouse,
        "select grain, period_start, * from marts.kpi_quota_attainment_company",
    )[("month", FEB)]
    assert (company["quota_carrying_reps"], company["reps_with_quota"]) == (3, 1)
    assert company["share_at_or_above_quota"] == 1

    board = rows(
        warehouse,
        "select role || ' ' || metric || ' ' || period_start, entity_id, rank, value "
        "from marts.kpi_leaderboard where grain = 'month' and entity_type = 'rep'",
    )
    # January SDR calls: U1 4, U4 none. February: U4 made C5 as an SDR (before 10 Feb),
    # C6 as an AE; U1 none. February AE calls: U2 (C8) and U4 (C6) tie at rank 1.
    assert (
        board[("SDR calls 2025-01-01", "U1")]["rank"],
        board[("SDR calls 2025-01-01", "U4")]["rank"],
    ) == (1, 2)
    assert board[("SDR calls 2025-02-01", "U4")]["value"] == 1
    assert board[("SDR calls 2025-02-01", "U1")]["rank"] == 2
    assert (
        board[("AE calls 2025-02-01", "U2")]["rank"]
        == board[("AE calls 2025-02-01", "U4")]["rank"]
        == 1
    )

    contest = rows(
        warehouse, "select contest_id, participant_id, * from marts.kpi_contest_standings"
    )
    assert contest[("K1", "U1")]["status"] == "finished"
    assert (contest[("K1", "U1")]["total"], contest[("K1", "U1")]["is_leader"]) == (4, True)
    assert (contest[("K1", "U4")]["total"], contest[("K1", "U4")]["rank"]) == (0, 2)


def test_coaching_and_ramp(warehouse):
    activity = rows(
        warehouse, "select coach_user_id, month, * from marts.kpi_coaching_activity_monthly"
    )
    s1 = activity[("U2", JAN)]
    assert (s1["sessions_given"], s1["coachees"], s1["coaching_minutes"], s1["peer_sessions"]) == (
        1,
        1,
        30,
        1,
    )
    impact = rows(
        warehouse, "select coachee_user_id, target_metric, * from marts.kpi_coaching_impact"
    )
    # coached on 20 Jan: no month before January in the data; after = February, where U1
    # sent H5 (lead L4, deleted, so not qualified): 0 of 1
    u1 = impact[("U1", "qualified_lead_rate")]
    assert (u1["months_before"], u1["value_before"]) == (0, None)
    assert (u1["months_after"], u1["value_after"]) == (1, 0)
    # candidates over January-February: U2 alone has a known actual against a target
    # (10000 / 8000 in February) and coached U1 in the window
    cands = rows(warehouse, "select role, user_id, * from marts.kpi_coach_candidates")
    assert list(cands) == [("AE", "U2")]
    assert (cands[("AE", "U2")]["attainment"], cands[("AE", "U2")]["already_coaches"]) == (
        1.25,
        True,
    )
    ramp = rows(warehouse, "select user_id, hire_date, * from marts.kpi_ramp")
    u2 = next(v for k, v in ramp.items() if k[0] == "U2")
    # hired January 2024 (before the data): first month at target seen, ramp length unknown
    assert (u2["tenure_months"], str(u2["first_month_at_target"]), u2["months_to_target"]) == (
        13,
        FEB,
        None,
    )
