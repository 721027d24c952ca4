"""The bad-input matrix: every case ends in a clear error or rows quarantined with a
reason (or, for what is implausible but not a breach, rows loaded for the quality suites
to flag) and received = loaded + quarantined for every file."""

from __future__ import annotations

import gzip
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
        "malformed CSV record",
    ),
    "empty file": Case({"users.csv": ""}, "rejected", (0, 0, 0), "empty file"),
    "header only": Case({"users.csv": USERS}, "loaded", (0, 0, 0)),
    "semicolon delimiter is sniffed": Case(
        {"users.csv": USERS.replace(",", ";") + "U1;Ann;SDR;2025-01-01\n"},
        "loaded",
        (1, 1, 0),
    ),
    "Windows-1252 bytes are decoded, not quarantined": Case(
        {"users.csv": USERS.encode() + b"U1,Ren\xe9,SDR,2025-01-01\nU2,Bo,AE,2025-01-01\n"},
        "loaded",
        (2, 2, 0),
        "decoded as windows-1252",
    ),
    "UTF-16 with a byte-order mark is decoded": Case(
        {"users.csv": (USERS + "U1,Zoë,SDR,2025-01-01\n").encode("utf-16")},
        "loaded",
        (1, 1, 0),
        "decoded as utf-16",
    ),
    "binary bytes: the file alone is rejected, naming the encoding problem": Case(
        {"users.csv": USERS.encode() + b"U1,\x00\xff\xfe,SDR,2025-01-01\n"},
        "rejected",
        (0, 0, 0),
        "not UTF-8 and holds NUL bytes",
    ),
    "a record cut inside a quoted multi-line field: only that record is quarantined": Case(
        {
            "users.csv": USERS
            + "".join(f'U{i},"Ann\nSmith {i}",SDR,2025-01-01\n' for i in range(9))
            + 'U9,"Bob cut'
        },
        "loaded",
        (10, 9, 1),
        "malformed CSV record",
    ),
    "NaN and infinite rates are quarantined": Case(
        {
            "fx_rates.csv": "currency,rate_date,rate_to_reporting,updated_at\n"
            "EUR,2025-01-01,NaN,2025-01-01\nEUR,2025-01-02,Infinity,2025-01-01\n"
            "EUR,2025-01-03,-inf,2025-01-01\nEUR,2025-01-04,1.1,2025-01-01\n"
        },
        "loaded",
        (4, 1, 3),
        "rate_to_reporting: NaN is not a finite number",
    ),
    "NaN amount is quarantined": Case(
        {
            "opportunities.csv": OPPS
            + "O1,U1,upsell,won,NaN,2025-01-01,2025-01-02,true,true,2025-01-02\n"
        },
        "loaded",
        (1, 0, 1),
        "amount: NaN is not a valid money",
    ),
    "an event dated after the batch was delivered is quarantined": Case(
        {
            "activities.csv": "activity_id,owner_id,activity_type,occurred_at,updated_at\n"
            "A1,U1,call,2099-06-01T10:00:00,2025-01-01\nA2,U1,call,2025-01-01,2025-01-01\n"
        },
        "loaded",
        (2, 1, 1),
        "occurred_at: 2099-06-01T10:00:00 is after the batch was delivered",
    ),
    "gzip-compressed CSV loads": Case(
        {"users.csv.gz": gzip.compress((USERS + "U1,Ann,SDR,2025-01-01\n").encode())},
        "loaded",
        (1, 1, 0),
    ),
    "a file of another type is recorded as rejected": Case(
        {"opportunities.txt": OPPS},
        "rejected",
        (0, 0, 0),
        "unsupported file type",
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
        reason="entity .users. twice",
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


def test_a_line_over_the_maximum_rejects_that_file_alone(tmp_path: Path):
    batch = tmp_path / "b"
    batch.mkdir()
    (batch / "users.csv").write_text(USERS + "U1," + "x" * 2_200_000 + ",SDR,2025-01-01\n")
    (batch / "teams.csv").write_text("team_id,team_name,updated_at\nT1,East,2025-01-01\n")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        result = load_batch(con, batch)
        by_entity = {f.entity: f for f in result.files}
        assert by_entity["teams"].status == "loaded" and by_entity["teams"].loaded == 1
        users = by_entity["users"]
        assert users.status == "rejected"
        assert "longer than the reader's maximum (2,097,152 bytes)" in users.message
        assert "\n" not in users.message and len(users.message) < 200
        assert con.execute(
            "select status from raw._load_manifest where entity = 'users'"
        ).fetchall() == [("rejected",)]


def test_a_cut_record_keeps_what_was_delivered_and_counts_records(tmp_path: Path):
    batch = tmp_path / "b"
    batch.mkdir()
    (batch / "users.csv").write_text(USERS + 'U1,"Ann\nSmith",SDR,2025-01-01\nU9,"Bob\ncut')
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_batch(con, batch)
        assert con.execute("select user_id, full_name from raw.users").fetchall() == [
            ("U1", "Ann\nSmith")
        ]
        assert con.execute(
            "select row_number, record->>'line' from raw._quarantine"
        ).fetchall() == [(2, 'U9,"Bob\ncut')]
        assert con.execute(
            "select rows_received, rows_loaded, rows_quarantined from raw._load_manifest"
        ).fetchall() == [(2, 1, 1)]


def test_latin1_names_arrive_intact(tmp_path: Path):
    batch = tmp_path / "b"
    batch.mkdir()
    (batch / "users.csv").write_bytes((USERS + "U1,José Müller,SDR,2025-01-01\n").encode("latin-1"))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_batch(con, batch)
        assert con.execute("select full_name from raw.users").fetchall() == [("José Müller",)]
