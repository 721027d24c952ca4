"""The generator: deterministic, complete, on contract, and shaped so KPIs are informative."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from salesperf.contract import ENTITIES
from salesperf.errors import UserError
from salesperf.generate import GeneratorConfig, generate
from salesperf.load import load_path

SMALL = GeneratorConfig(seed=3, reps=20, months=4, delta_days=3)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "landing"
    generate(SMALL, out)
    return out


def test_same_seed_same_files_other_seed_other_files(sample, tmp_path):
    generate(SMALL, tmp_path / "again")
    assert digest(tmp_path / "again") == digest(sample)
    generate(GeneratorConfig(seed=4, reps=20, months=4, delta_days=3), tmp_path / "other")
    assert digest(tmp_path / "other") != digest(sample)


def test_initial_batch_has_every_entity_and_deltas_follow(sample):
    batches = sorted(p for p in sample.iterdir())
    assert [b.name.split("_")[1] for b in batches] == ["initial", "delta", "delta", "delta"]
    assert all((b / "_SUCCESS").exists() for b in batches)
    assert {p.stem for p in batches[0].glob("*.csv")} == set(ENTITIES)
    assert all(not (b / "teams.csv").exists() for b in batches[1:])


def test_everything_generated_meets_the_contract(sample, tmp_path):
    results = load_path(tmp_path / "w.duckdb", sample)
    assert sum(r.quarantined for r in results) == 0
    assert sum(r.loaded for r in results) > 10_000


def test_the_data_has_the_shapes_the_kpis_need(sample, tmp_path):
    load_path(tmp_path / "w.duckdb", sample)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:

        def one(sql: str):
            return con.execute(sql).fetchone()[0]

        # lead sources differ in quality: referral leads have all of BANT far more often
        bant = """select avg(case when budget_confirmed and authority_confirmed and
                  need_confirmed and timing_confirmed then 1.0 else 0 end)
                  from raw.leads where status = 'working' and source = '{}'"""
        assert one(bant.format("referral")) > 2 * one(bant.format("outbound"))
        # BANT completeness drives AE acceptance
        accept = """select avg(case when h.decision = 'accepted' then 1.0 else 0 end)
            from raw.lead_handoffs h join raw.leads l using (lead_id)
            where h.decision in ('accepted', 'rejected') and l.status = 'working'
              and l.budget_confirmed::int + l.authority_confirmed::int
                  + l.need_confirmed::int + l.timing_confirmed::int {}"""
        assert one(accept.format("= 4")) > one(accept.format("<= 2")) + 0.3
        # rejected handoffs carry reasons and feedback
        assert (
            one(
                "select count(*) from raw.lead_handoffs where decision = 'rejected' "
                "and (rejection_reason is null or feedback is null)"
            )
            == 0
        )
        # some SDRs are promoted to AE, and reps are hired during the period
        assert (
            one(
                "select count(*) from (select user_id from raw.users group by user_id "
                "having count(distinct role) > 1)"
            )
            >= 1
        )
        assert one("select count(*) from raw.users where hire_date >= date '2025-01-01'") >= 1
        # upserts and deletes arrive in the deltas; every opportunity closing has a version
        assert one("select count(*) from raw.leads where is_deleted") >= 3
        assert one("select count(*) from raw.activities where is_deleted") == 5
        assert (
            one("select count(distinct opportunity_id) from raw.opportunities where is_closed") > 50
        )
        # contracts renew (several per account) and the book has foreign currency deals
        assert (
            one("select max(n) from (select count(*) n from raw.contracts group by account_id)") > 1
        )
        assert one("select count(*) from raw.opportunities where currency = 'EUR'") > 0
        # goals at all three scopes, monthly costs, coaching and contests
        assert one("select count(distinct scope) from raw.goals") == 3
        assert one("select count(distinct month) from raw.costs") == 4
        assert one("select count(*) from raw.coaching_sessions") > 0
        assert one("select count(*) from raw.contests") > 0


def test_bad_generator_settings_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="at least 10 reps"):
        generate(GeneratorConfig(reps=3), tmp_path / "x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_text("x")
    with pytest.raises(UserError, match="is not empty"):
        generate(SMALL, tmp_path / "full")


def test_ids_stay_unique_past_a_million(tmp_path):
    """Ids are padded to six digits, never cut to six: the millionth activity must not
    collide with the first (it did, and S/M/L benchmark data lost 90 % of activities)."""
    import pandas as pd

    from salesperf.generate import Sink

    sink = Sink(tmp_path / "scratch.duckdb")
    ids = [1, 999_999, 1_000_000, 1_000_001, 12_345_678]
    frame = pd.DataFrame(
        {
            "activity_id": ids,
            "owner_id": 1,
            "activity_type": "call",
            "occurred_at": pd.Timestamp("2025-01-01"),
            "updated_at": pd.Timestamp("2025-01-01"),
        }
    )
    sink.append("activities", frame)
    got = [r[0] for r in sink.con.execute("select activity_id from activities").fetchall()]
    assert got == ["ACT000001", "ACT999999", "ACT1000000", "ACT1000001", "ACT12345678"]
