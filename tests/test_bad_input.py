"""The bad-input matrix: every case ends in a clear error or rows quarantined with a
reason (or, for what is implausible but not a breach, rows loaded for the quality suites
to flag) and received = loaded + quarantined for every file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from salesperf.errors import UserError
from salesperf.load import load_batch

USERS = "user_id,full_name,role,updated_at\n"
OPPS = (
    "opportunity_id,owner_id,opportunity_type,stage,amount,created_at,close_date,"
    "is_closed,is_won,updated_at\n"
)
LEADS = "lead_id,created_at,source,employee_count,updated_at\n"
HANDOFF = "handoff_id,lead_id,sdr_id,ae_id,sent_at,decision,updated_at\n"


@dataclass
class Case:
    files: dict[str, str | bytes]
    status: str = "loaded"  # of the first file, or "error" for a batch-level UserError
    counts: tuple[int, int, int] | None = None  # received, loaded, quarantined
    reason: str = ""  # in the quarantine reasons, the file message or the error


CASES = {
    "missing required column": Case(
        {"users.csv": "user_id,role,updated_at\nU1,SDR,2025-01-01\n"},
        "rejected",
        (1, 0, 1),
        "missing required column(s): full_name",
    ),
    "unparseable timestamp": Case(
        {"leads.csv": LEADS + "L1,31/01/2025,inbound,10,2025-01-01\n"},
        "loaded",
        (1, 0, 1),
        "created_at: 31/01/2025 is not a valid timestamp",
    ),
    "unknown enum": Case(
        {"users.csv": USERS + "U1,Ann,CEO,2025-01-01\n"},
        "loaded",
        (1, 0, 1),
        "role: CEO is not one of SDR/AE/AM/MANAGER",
    ),
    "null key": Case(
        {"users.csv": USERS + ",Ann,SDR,2025-01-01\nU2,Bo,AE,2025-01-01\n"},
        "loaded",
        (2, 1, 1),
        "missing required value: user_id",
    ),
    "duplicate key in a file: two versions, both kept": Case(
        {"users.csv": USERS + "U1,Ann,SDR,2025-01-01\nU1,Ann,AE,2025-02-01\n"},
        "loaded",
        (2, 2, 0),
    ),
    "truncated CSV": Case(
        {"users.csv": USERS + "U1,Ann,SDR,2025-01-01\nU2,Bo"},
        "loaded",
        (2, 1, 1),
        "malformed CSV line",
    ),
    "empty file": Case({"users.csv": ""}, "rejected", (0, 0, 0), "empty file"),
    "header only": Case({"users.csv": USERS}, "loaded", (0, 0, 0)),
    "semicolon delimiter is sniffed": Case(
        {"users.csv": USERS.replace(",", ";") + "U1;Ann;SDR;2025-01-01\n"},
        "loaded",
        (1, 1, 0),
    ),
    "non-UTF-8 bytes": Case(
        {"users.csv": USERS.encode() + b"U1,Ren\xe9,SDR,2025-01-01\nU2,Bo,AE,2025-01-01\n"},
        "loaded",
        (2, 1, 1),
        "not utf-8 encoded",
    ),
    "extra columns are kept": Case(
        {"users.csv": "user_id,full_name,role,updated_at,crm_badge\nU1,Ann,SDR,2025-01-01,gold\n"},
        "loaded",
        (1, 1, 0),
    ),
    "a column whose type changed": Case(
        {"leads.csv": LEADS + "L1,2025-01-01,inbound,many,2025-01-01\n"},
        "loaded",
        (1, 0, 1),
        "employee_count: many is not a valid int",
    ),
    "won but not closed": Case(
        {"opportunities.csv": OPPS + "O1,U1,upsell,won,5,2025-01-01,,false,true,2025-01-02\n"},
        "loaded",
        (1, 0, 1),
        "is_won is true on an opportunity that is not closed",
    ),
    "negative amount (implausible: loaded, flagged by the suites)": Case(
        {
            "opportunities.csv": OPPS
            + "O1,U1,upsell,won,-5,2025-01-01,2025-01-02,true,true,2025-01-02\n"
        },
        "loaded",
        (1, 1, 0),
    ),
    "close date before creation (loaded, flagged)": Case(
        {
            "opportunities.csv": OPPS
            + "O1,U1,upsell,won,5,2025-03-01,2025-01-02,true,true,2025-03-02\n"
        },
        "loaded",
        (1, 1, 0),
    ),
    "handoff to a user who is not an AE (loaded, flagged)": Case(
        {"lead_handoffs.csv": HANDOFF + "H1,L1,U1,U_AM,2025-01-01,pending,2025-01-01\n"},
        "loaded",
        (1, 1, 0),
    ),
    "orphan foreign keys (loaded: the record may arrive later)": Case(
        {
            "opportunities.csv": OPPS
            + "O1,U_NOBODY,upsell,open,5,2025-01-01,,false,false,2025-01-01\n"
        },
        "loaded",
        (1, 1, 0),
    ),
    "delete of a record that never existed": Case(
        {"users.csv": "user_id,updated_at,is_deleted\nU404,2025-01-01,true\n"},
        "loaded",
        (1, 1, 0),
    ),
    "late update of a closed month": Case(
        {
            "opportunities.csv": OPPS
            + "O1,U1,upsell,closed_won,9,2024-01-01,2024-01-31,true,true,2025-06-01\n"
        },
        "loaded",
        (1, 1, 0),
    ),
    "timestamps with offsets become UTC": Case(
        {
            "leads.csv": LEADS
            + "L1,2025-01-01T09:00:00+09:00,inbound,10,2025-01-01T00:00:00-05:00\n"
        },
        "loaded",
        (1, 1, 0),
    ),
    "an entity the contract does not know": Case(
        {"deals.csv": "id,name\n1,x\n"},
        "rejected",
        (1, 0, 1),
        "unknown entity 'deals'",
    ),
    "the same entity as CSV and Parquet": Case(
        {"users.csv": USERS, "users.parquet": b"PAR1"},
        "error",
        reason="same entity twice",
    ),
    "a file that is not Parquet": Case(
        {"users.parquet": b"not parquet at all"},
        "error",
        reason="cannot be read as parquet",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input(case: Case, tmp_path: Path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for name, content in case.files.items():
        target = batch / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        if case.status == "error":
            with pytest.raises(UserError, match=case.reason):
                load_batch(con, batch)
            # all or nothing: no trace of the batch
            manifests = con.execute(
                "select count(*) from duckdb_tables() where table_name = '_load_manifest'"
            ).fetchone()[0]
            if manifests:
                assert con.execute("select count(*) from raw._load_manifest").fetchone() == (0,)
            return
        result = load_batch(con, batch)
        first = result.files[0]
        assert first.status == case.status, first.message
        assert (first.received, first.loaded, first.quarantined) == case.counts
        manifest = con.execute(
            "select rows_received, rows_loaded, rows_quarantined from raw._load_manifest"
        ).fetchall()
        assert all(got == ok + bad for got, ok, bad in manifest)
        quarantined = con.execute("select count(*) from raw._quarantine").fetchone()[0]
        assert quarantined == sum(q for _, _, q in manifest)
        if case.reason:
            reasons = [r[0] for r in con.execute("select reason from raw._quarantine").fetchall()]
            assert any(case.reason in r for r in [*reasons, first.message]), (
                reasons,
                first.message,
            )


def test_offsets_and_extras_land_as_described(tmp_path: Path):
    batch = tmp_path / "b"
    batch.mkdir()
    (batch / "leads.csv").write_text(
        LEADS.strip() + ",crm_score\nL1,2025-01-01T09:00:00+09:00,inbound,10,2025-01-01,7\n"
    )
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_batch(con, batch)
        assert con.execute("select created_at, _extra from raw.leads").fetchone() == (
            datetime(2025, 1, 1, 0, 0),
            '{"crm_score":"7"}',
        )
