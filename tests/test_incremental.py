"""The incremental tables (activities, current leads, handoffs and opportunities, metric
periods and leaderboards) equal a full rebuild after late rows, updates, deletes and a rep
moved to another team back in time."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import write_batch

from salesperf.build import BuildFailed, build, run_dbt
from salesperf.generate import GeneratorConfig, generate
from salesperf.load import load_path

# what an incremental run must leave exactly as a full rebuild does (lineage stamps aside);
# the tests below index the snapshot in this order
SNAPSHOT = (
    "select * exclude (_loaded_at, _built_at) from marts.fct_activities order by activity_id",
    "select * exclude (_built_at) from intermediate.int_activities__daily order by all",
    "select * from marts.kpi_company_monthly order by month",
    "select * from marts.kpi_team_monthly order by all",
    "select * exclude (_built_at) from intermediate.int_leads__versioned order by all",
    "select * from marts.kpi_sdr_monthly order by all",
    "select * exclude (_built_at) from staging.stg_crm__leads order by lead_id",
    "select * from marts.dim_leads order by lead_id",
    "select * exclude (_built_at) from staging.stg_crm__lead_handoffs order by all",
    "select * exclude (_built_at) from staging.stg_crm__opportunities order by all",
    "select * from marts.fct_lead_handoffs order by all",
    "select * from marts.fct_opportunities order by all",
    "select * exclude (_built_at) from intermediate.int_metric_actuals__periods order by all",
    "select * exclude (_built_at) from marts.kpi_leaderboard order by all",
    "select * from marts.kpi_scorecard order by all",
)


def snapshot(warehouse) -> tuple[list, ...]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return tuple(con.execute(query).fetchall() for query in SNAPSHOT)


@pytest.mark.e2e
def test_incremental_runs_equal_a_full_rebuild(tmp_path, settings):
    landing = tmp_path / "generated"
    generate(GeneratorConfig(seed=5, reps=12, months=2, delta_days=2), landing)
    batches = sorted(landing.iterdir())
    first = tmp_path / "first"
    shutil.copytree(batches[0], first / batches[0].name)
    load_path(settings.warehouse, first)
    build(settings)

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        # a1: the first call by id; a2 and its owner: the last call, in the second month
        (a1, a2, owner, old_day) = con.execute(
            """select min(activity_id), arg_max(activity_id, occurred_at),
                      arg_max(owner_id, occurred_at), min(occurred_at)::date
               from raw.activities where activity_type = 'call'"""
        ).fetchone()
        # the owner's latest record, and a team they were never in
        rep = con.execute(
            """select user_id, full_name, role, team_id, hire_date from raw.users
               where user_id = ? order by updated_at desc limit 1""",
            [owner],
        ).fetchone()
        other_team = con.execute(
            "select min(team_id) from raw.teams where team_id <> ?", [rep[3]]
        ).fetchone()[0]
        # a lead sent to an AE (its qualification at send can change) and another lead
        sent_lead, other_lead = con.execute(
            """select min(lead_id), (select max(lead_id) from raw.leads)
               from raw.lead_handoffs"""
        ).fetchone()
        # a pending handoff the AE now rejects and another handoff deleted; an open
        # opportunity now won and another deleted (their current tables are incremental)
        pending, dropped_handoff = con.execute(
            """select min(handoff_id) filter (where decision = 'pending'),
                      max(handoff_id) filter (where decision <> 'pending')
               from raw.lead_handoffs"""
        ).fetchone()
        handoff = con.execute(
            """select lead_id, sdr_id, ae_id, sent_at from raw.lead_handoffs
               where handoff_id = ? order by updated_at desc limit 1""",
            [pending],
        ).fetchone()
        open_opportunity, dropped_opportunity = con.execute(
            """select min(opportunity_id) filter (where not is_closed and currency is null),
                      max(opportunity_id) filter (where is_closed)
               from raw.opportunities"""
        ).fetchone()
        # a day with no call at all: a call there, loaded with the deltas and then deleted,
        # leaves every period row of that day's calls with nothing to rebuild it from
        lone_day = con.execute(
            """select min(day::date) from range(
                   (select min(occurred_at)::date from raw.activities),
                   (select max(occurred_at)::date from raw.activities),
                   interval 1 day) as days(day)
               where day::date not in (
                   select occurred_at::date from raw.activities where activity_type = 'call')"""
        ).fetchone()[0]
        assert lone_day is not None
        opportunity = con.execute(
            """select account_id, owner_id, opportunity_type, amount, created_at
               from raw.opportunities
               where opportunity_id = ? order by updated_at desc limit 1""",
            [open_opportunity],
        ).fetchone()
    # the later deltas and a lone call (one run), then a hand-made batch alone: deletes (a
    # call, and the lone call: its day's period rows must go too), a call moved from
    # the second month to the first, a call that happened long ago but arrives only now
    # (outside the lookback window), and a correction that puts a2's owner in another team
    # from the first day on (re-attribution). Nothing else then touches the second month:
    # only the old version of a2 and the owner's team say it must be rewritten.
    for batch in batches[1:]:
        load_path(settings.warehouse, batch)
    lone = write_batch(
        tmp_path / "zz_lone" / "99999998T000000_lone",
        {
            "activities": "activity_id,owner_id,activity_type,occurred_at,updated_at\n"
            f"LONE,{owner},call,{lone_day}T09:00:00,2025-12-30T00:00:00"
        },
        sample=True,
    )
    load_path(settings.warehouse, lone)
    build(settings)
    late = write_batch(
        tmp_path / "zz_late" / "99999999T000000_fix",
        {
            "activities": f"""
activity_id,owner_id,activity_type,occurred_at,updated_at,is_deleted
{a1},{owner},call,{old_day}T09:00:00,2025-12-31T00:00:00,true
{a2},{owner},meeting,{old_day}T10:00:00,2025-12-31T00:00:00,
LATE1,{owner},call,{old_day}T11:00:00,2025-12-31T00:00:00,
LONE,,call,,2025-12-31T00:00:00,true
""",
            "users": f"""
user_id,full_name,role,team_id,hire_date,updated_at
{rep[0]},{rep[1]},{rep[2]},{other_team},{rep[4]},{old_day}T00:00:00
""",
            # a lead corrected back in time (fully qualified from the first day) and a
            # lead deleted: int_leads__versioned rewrites one, purges the other
            "leads": f"""
lead_id,created_at,owner_id,budget_confirmed,authority_confirmed,need_confirmed,timing_confirmed,employee_count,updated_at,is_deleted
{sent_lead},{old_day}T08:00:00,{owner},true,true,true,true,500,{old_day}T08:00:00,
{other_lead},{old_day}T08:00:00,{owner},,,,,,2025-12-31T00:00:00,true
""",
            "lead_handoffs": f"""
handoff_id,lead_id,sdr_id,ae_id,sent_at,decision,decided_at,rejection_reason,updated_at,is_deleted
{pending},{handoff[0]},{handoff[1]},{handoff[2]},{handoff[3]:%Y-%m-%dT%H:%M:%S},rejected,2025-12-31T00:00:00,budget,2025-12-31T00:00:00,
{dropped_handoff},{handoff[0]},{handoff[1]},{handoff[2]},{handoff[3]:%Y-%m-%dT%H:%M:%S},,,,2025-12-31T00:00:00,true
""",
            "opportunities": f"""
opportunity_id,account_id,owner_id,opportunity_type,stage,amount,created_at,close_date,is_closed,is_won,updated_at,is_deleted
{open_opportunity},{opportunity[0]},{opportunity[1]},{opportunity[2]},closed_won,{opportunity[3]},{opportunity[4]:%Y-%m-%dT%H:%M:%S},{opportunity[4]:%Y-%m-%d},true,true,2025-12-31T00:00:00,
{dropped_opportunity},{opportunity[0]},{opportunity[1]},{opportunity[2]},closed_lost,1,{opportunity[4]:%Y-%m-%dT%H:%M:%S},{opportunity[4]:%Y-%m-%d},true,false,2025-12-31T00:00:00,true
""",
        },
        sample=True,
    )
    load_path(settings.warehouse, late)
    build(settings)
    # then one more call on the last day: the metric tables rebuild only the periods
    # holding that day (the correction above changed every day: the rep's team)
    calls_that_day = (
        "select value from intermediate.int_metric_actuals__periods where scope = 'user'"
        " and scope_id = ? and metric = 'calls' and grain = 'day' and period_start = ?"
    )
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        last_day = con.execute(
            "select as_of_date from intermediate.int_reporting_period"
        ).fetchone()[0]
        before = con.execute(calls_that_day, [owner, last_day]).fetchone()
    tail = write_batch(
        tmp_path / "zz_tail" / "99999999T000001_tail",
        {
            "activities": "activity_id,owner_id,activity_type,occurred_at,updated_at\n"
            f"TAIL1,{owner},call,{last_day}T12:00:00,2026-01-01T00:00:00"
        },
        sample=True,
    )
    load_path(settings.warehouse, tail)
    build(settings)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute(calls_that_day, [owner, last_day]).fetchone()[0] == (
            before[0] + 1 if before else 1
        )
        for table in ("intermediate.int_metric_actuals__periods", "marts.kpi_leaderboard"):
            rebuilt, kept = con.execute(
                f"""select count(*) filter (where _built_at = (select max(_built_at) from {table})),
                           count(*) filter (where _built_at < (select max(_built_at) from {table}))
                    from {table}"""
            ).fetchone()
            assert 0 < rebuilt < kept, table  # a few periods rebuilt, most rows kept
    incremental = snapshot(settings.warehouse)

    for versions_or_current in (incremental[4], incremental[6]):
        lead_ids = {row[0] for row in versions_or_current}
        assert sent_lead in lead_ids and other_lead not in lead_ids
    handoff_decisions = {row[0]: row[5] for row in incremental[8]}
    assert handoff_decisions[pending] == "rejected" and dropped_handoff not in handoff_decisions
    won = {row[0]: row for row in incremental[9]}
    assert open_opportunity in won and dropped_opportunity not in won
    ids = {row[0]: row for row in incremental[0]}
    assert a1 not in ids  # deleted
    assert ids[a2][1] == "meeting"  # updated
    assert "LATE1" in ids  # late arrival outside the lookback window
    assert ids["LATE1"][2:4] == (owner, rep[2])  # owner_user_id, owner_role
    assert ids["LATE1"][4] == other_team  # counted for the team they were in that day
    assert "LONE" not in ids
    lone_rows = [row for row in incremental[12] if row[2:5] == ("calls", "day", lone_day)]
    assert lone_rows == []  # the day's period rows went with the call

    build(settings, full_refresh=True)
    assert snapshot(settings.warehouse) == incremental

    # The fact's data tests check only the rows the latest run wrote: a duplicate of a
    # rewritten row fails them, a duplicate stamped by an earlier run is left to a full build
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(
            """insert into marts.fct_activities
            select * from marts.fct_activities where activity_id = 'LATE1'"""
        )
    with pytest.raises(BuildFailed, match="unique_fct_activities_activity_id"):
        run_dbt(settings, "test", ["--select", "fct_activities"])
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(
            """delete from marts.fct_activities where activity_id = 'LATE1';
            insert into marts.fct_activities
            select * replace (_built_at - interval 1 day as _built_at)
            from marts.fct_activities where activity_id = ?""",
            [a2],
        )
    run_dbt(settings, "test", ["--select", "fct_activities"])  # an older row: not read
