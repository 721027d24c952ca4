"""KPI values on a small hand-built CRM extract, through the whole stack (load + dbt build).

Every expected number below is worked out by hand from the fixture; the comments show how.
Period: January and February 2025, as of 2025-02-28. EUR is worth 1.20 from 1 Jan and
1.25 from 15 Feb.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

JAN, FEB = "2025-01-01", "2025-02-01"


@pytest.fixture(scope="module")
def warehouse(hand_built) -> Path:
    return hand_built.warehouse


def rows(warehouse: Path, sql: str) -> dict:
    """Query -> {first two columns: {column: value}}. A key that repeats is an error:
    the test would read whichever row came last, and row order is not defined."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        out = {}
        for r in cur.fetchall():
            rec = dict(zip(cols, r, strict=True))
            key = (str(r[0]), str(r[1]))
            assert key not in out, f"{key} is not a key of: {sql}"
            out[key] = rec
        return out


def test_sdr_kpis(warehouse):
    got = rows(warehouse, "select * from marts.kpi_sdr_monthly")
    # U1, January: H1, H2, H3 sent. H1 went out before L1's timing was confirmed (not
    # qualified), H2 after (qualified), H3's lead has 30 employees (< 50): 1 of 3.
    u1_jan = got[("U1", JAN)]
    assert u1_jan["rep_name"] == "Sam SDR"
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
    assert jan["rep_name"] == "Alex AE"
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
    assert jan["rep_name"] == "Mia AM"
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
    # sales 3000 + marketing 1000, plus January's commission: 50 for U1's accepted H2
    assert jan["commission_expense"] == 50 and jan["includes_commission_expense"]
    assert jan["sales_and_marketing_cost"] == 4050 and jan["cac"] == 4050
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
    # sales 3000 + marketing 500 EUR at the month-end rate 1.25 (tools excluded) = 3625,
    # plus February's commission 1450 (test_compensation_statements_and_expense)
    assert feb["commission_expense"] == 1450
    assert feb["sales_and_marketing_cost"] == pytest.approx(5075)
    assert feb["cac"] == pytest.approx(5075)


def test_team_lead_source_and_rejection_marts(warehouse):
    teams = rows(warehouse, "select team_id, month, * from marts.kpi_team_monthly")
    # U4 (T2) made C5 and C6 in February; U2 (T1) made C8
    assert teams[("T2", FEB)]["calls"] == 2 and teams[("T1", FEB)]["calls"] == 1
    assert teams[("T1", FEB)]["revenue"] == 12000
    assert (teams[("T1", FEB)]["team_name"], teams[("T2", FEB)]["team_name"]) == ("Pod A", "Pod B")
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


def test_money_is_an_exact_decimal_with_cents(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        types = dict(
            con.execute(
                "select table_name || '.' || column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and column_name in ('revenue', 'cac', 'quota')"
            ).fetchall()
        )
        cac = con.execute(
            "select cac from marts.kpi_company_monthly where month = date '2025-02-01'"
        ).fetchall()
    assert types["kpi_company_monthly.revenue"] == "DECIMAL(38,2)"
    assert types["kpi_company_monthly.cac"] == "DECIMAL(38,2)"
    assert types["kpi_quota_attainment.quota"] == "DECIMAL(38,2)"
    # February: 3000 + 500 EUR x 1.25 for one new customer (A1), to the cent
    assert cac == [(Decimal("5075.00"),)]


def test_marts_carry_no_personal_data(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # only the raw layer holds e-mails and phones in clear: staging's base views hash
        # them, and everything past staging (history included) reads staging
        clear = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema not in ('raw') and column_name in ('email', 'phone') "
            "order by all"
        ).fetchall()
        assert clear == []
        hashed = con.execute(
            "select table_schema || '.' || table_name from information_schema.columns "
            "where table_schema = 'intermediate' and column_name = 'email_hash' order by 1"
        ).fetchall()
        assert hashed == [
            ("intermediate.int_leads__versioned",),
            ("intermediate.int_users__versioned",),
        ]
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
    # the development salt (SALESPERF_PII_SALT unset) before the trimmed, lower-cased value
    assert hashes[0] == hashlib.sha256(b"salesperf-dev-salt" + b"a@p.io").hexdigest()


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

    # months only: 1 Jan also starts the quarter, whose quota sums the months (28000)
    quota = rows(
        warehouse,
        "select user_id, period_start, * from marts.kpi_quota_attainment where grain = 'month'",
    )
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


def test_pipeline_review(warehouse):
    snapshots = rows(
        warehouse,
        """select snapshot_date, snapshot_grain, open_pipeline_count, open_pipeline_amount,
            weighted_pipeline_amount, stage, forecast_category, expected_close_month
        from marts.kpi_pipeline_snapshots where scope = 'company'
            and snapshot_date in ('2025-02-01', '2025-02-28')""",
    )
    # 1 Feb: only O1 is open (discovery, 10000, due 28 Feb; weighted by the seed's 0.2).
    # O4 and O5 arrived closed, O2 and O3 did not exist yet.
    assert set(snapshots) == {("2025-02-01", "month"), ("2025-02-28", "as_of")}
    feb = snapshots[("2025-02-01", "month")]
    assert (feb["stage"], feb["forecast_category"]) == ("discovery", "pipeline")
    assert feb["open_pipeline_count"] == 1
    assert (feb["open_pipeline_amount"], feb["weighted_pipeline_amount"]) == (10000, 2000)
    assert str(feb["expected_close_month"]) == FEB
    # the end of 28 Feb: O1 is won; O2 is open in proposal, 5000 EUR at 1.20 on its
    # creation date = 6000, weighted 0.5 = 3000, best case, due in March
    now = snapshots[("2025-02-28", "as_of")]
    assert (now["stage"], now["forecast_category"]) == ("proposal", "best_case")
    assert (now["open_pipeline_amount"], now["weighted_pipeline_amount"]) == (6000, 3000)

    periods = rows(
        warehouse,
        """select scope_id, period_start, * from marts.kpi_pipeline_periods
        where period_grain = 'month' and scope = 'user'""",
    )
    u2_jan, u2_feb = periods[("U2", JAN)], periods[("U2", FEB)]
    # January: U2 created O4 (3000), O5 (amount unknown) and O1 (10000): 3 deals, 13000
    assert (u2_jan["pipeline_created_count"], u2_jan["pipeline_created_amount"]) == (3, 13000)
    # nothing was open on 1 Jan: 0 expected, coverage 0 / 20000 (G1) = 0
    assert u2_jan["expected_count"] == 0 and u2_jan["coverage_at_start"] == 0
    assert u2_jan["bookings_amount"] is None  # O5, the only win, has no amount: unknown
    # February: O1 was expected (10000 on 1 Feb, due 28 Feb) and won on 14 Feb: not pushed
    assert (u2_feb["expected_count"], u2_feb["pushed_count"], u2_feb["slip_rate"]) == (1, 0, 0)
    assert u2_feb["quota_amount"] == 8000 and u2_feb["bookings_amount"] == 10000
    assert u2_feb["coverage_at_start"] == pytest.approx(10000 / 8000)
    # as of 28 Feb nothing open is due in February and the quota is met: nothing to go
    assert u2_feb["pipeline_in_period_now_amount"] == 0
    assert u2_feb["bookings_to_date_amount"] == 10000 and u2_feb["coverage_now"] is None
    # O2 (U2, created 2 Feb): 6000
    assert u2_feb["pipeline_created_amount"] == 6000

    funnel = rows(
        warehouse,
        """select stage, entered_month, stays_entered, stays_moved_on, stays_converted,
            stage_conversion_rate
        from marts.kpi_stage_conversion where dimension = 'company'""",
    )
    # O1's only open stay, discovery from 16 Jan, ended in the win: converted
    assert funnel == {
        ("discovery", JAN): {
            "stage": "discovery",
            "entered_month": funnel[("discovery", JAN)]["entered_month"],
            "stays_entered": 1,
            "stays_moved_on": 1,
            "stays_converted": 1,
            "stage_conversion_rate": 1.0,
        }
    }
    velocity = rows(
        warehouse,
        """select stage, left_month, median_days_in_stage, p75_days_in_stage
        from marts.kpi_stage_velocity where dimension = 'company'""",
    )
    # 16 Jan 10:00 to 14 Feb 17:00: 29 whole days
    assert velocity[("discovery", FEB)]["median_days_in_stage"] == 29
    assert velocity[("discovery", FEB)]["p75_days_in_stage"] == 29
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # O2 is the only open deal and has no stage history: nothing to judge stalled
        assert (
            con.execute("select count(*) from marts.kpi_stalled_opportunities").fetchone()[0] == 0
        )
        # no forecast_submissions delivered: no calls to compare
        assert con.execute("select count(*) from marts.kpi_forecast_submissions").fetchone()[0] == 0


def test_compensation_statements_and_expense(warehouse):
    """The hand fixture's plans worked by hand. U2 (plan PA, 10 %, doubled above 100 %)
    wins O1 for 10000 on 14 Feb against a February quota of 8000: 8000 x 10 % = 800 and
    the 2000 above it at 20 % = 400. O5 (January) has no amount: nothing to pay on. U1
    (PS) earns 50 for H2 in January and 1 % of O1, which H2 sourced, in February. U4 is an
    SDR until 9 Feb: H4, accepted on 2 Feb, pays 50 under PS; from 10 Feb U4 is on PA.
    U3 (PM) earns 5 % of the upsell O3 (2000). U5 is credited overrides but has no plan."""
    lines = rows(
        warehouse,
        """select user_id, coalesce(handoff_id, opportunity_id)
            || coalesce(' at ' || cast(tier_from_attainment as varchar), '') as item,
            * from marts.fct_commission_lines""",
    )
    assert set(lines) == {
        ("U2", "O1 at 0.0"), ("U2", "O1 at 1.0"), ("U1", "H2"), ("U1", "O1"),
        ("U4", "H4"), ("U3", "O3"),
    }  # fmt: skip
    below, above = lines[("U2", "O1 at 0.0")], lines[("U2", "O1 at 1.0")]
    assert (below["credited_amount"], below["rate"], below["earned"]) == (8000, 0.1, 800)
    assert (above["credited_amount"], above["rate"], above["earned"]) == (2000, 0.2, 400)
    assert (below["attainment_from"], below["attainment_to"], above["attainment_to"]) == (
        0,
        1,
        1.25,
    )
    assert str(lines[("U1", "H2")]["statement_month"]) == JAN
    assert lines[("U1", "O1")]["component"] == "sourced_won"
    assert lines[("U1", "O1")]["earned"] == 100
    assert (lines[("U4", "H4")]["plan_id"], lines[("U4", "H4")]["earned"]) == ("PS", 50)
    assert (lines[("U3", "O3")]["component"], lines[("U3", "O3")]["earned"]) == (
        "expansion",
        100,
    )
    credits = rows(
        warehouse, "select credit_id, credited_user_id from marts.fct_commission_credits"
    )
    # an override for the team's manager on each won deal but the manager's own, unpaid
    # without a plan
    assert ("manager_override:O1:2025-02-14", "U5") in credits
    assert ("manager_override:O3:2025-02-20", "U5") in credits

    pay = rows(warehouse, "select user_id, month, * from marts.kpi_compensation_monthly")
    assert pay[("U2", FEB)]["compensation"] == 5000 + 1200
    # variable pay to date 0 + 1200 against on-target 1000 + 1000
    assert pay[("U2", FEB)]["ote_attainment"] == pytest.approx(0.6)
    # U4 in February: 9 of 28 days on PS (base 3000), 19 on PA (base 5000)
    assert float(pay[("U4", FEB)]["base_pay"]) == pytest.approx(
        round((3000 * 9 + 5000 * 19) / 28, 2)
    )
    expense = rows(
        warehouse,
        "select scope_id, month, * from marts.kpi_commission_expense where scope = 'company'",
    )
    assert expense[("company", JAN)]["commission_expense"] == 50
    # 1200 (U2) + 100 + 50 (U1, U4) + 100 (U3)
    assert expense[("company", FEB)]["commission_expense"] == 1450
    team = rows(
        warehouse,
        "select scope_id, month, * from marts.kpi_commission_expense where scope = 'team'",
    )
    assert team[("T2", FEB)]["commission_expense"] == 50  # U4's handoff; T1 the rest
    assert team[("T1", FEB)]["commission_expense"] == 1400
