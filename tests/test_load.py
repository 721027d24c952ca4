"""Loader rules of docs/landing-contract.md, each against a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import write_batch

from salesperf.errors import UserError
from salesperf.load import find_batches, load_batch, load_path

OPPS_HEADER = (
    "opportunity_id,owner_id,opportunity_type,stage,amount,currency,created_at,"
    "close_date,is_closed,is_won,updated_at"
)


def manifest(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select entity, rows_received, rows_loaded, rows_quarantined, status, message "
        "from raw._load_manifest order by batch_id, entity"
    ).fetchall()


def reasons(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select row_number, reason from raw._quarantine order by batch_id, row_number"
    ).fetchall()


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as c:
        yield c


def test_missing_required_column_rejects_the_file_naming_the_column(tmp_path, con):
    batch = write_batch(
        tmp_path / "b1",
        {"users": "user_id,role,updated_at\nU1,SDR,2025-01-01\nU2,AE,2025-01-01"},
    )
    result = load_batch(con, batch)
    assert result.files[0].status == "rejected"
    assert "missing required column(s): full_name" in result.files[0].message
    assert manifest(con) == [
        ("users", 2, 0, 2, "rejected", "users.csv: missing required column(s): full_name")
    ]
    assert con.execute("select count(*) from raw.users").fetchone() == (0,)
    # nothing is lost: both rows wait in quarantine with the reason
    assert reasons(con) == [
        (1, "file rejected: missing required column(s): full_name"),
        (2, "file rejected: missing required column(s): full_name"),
    ]


def test_bad_rows_are_quarantined_with_their_reasons_and_counts_conserved(tmp_path, con):
    rows = [
        OPPS_HEADER,
        "O1,U1,new_business,won,100.50,,2025-01-01T10:00:00+09:00,2025-02-01,true,true,2025-02-01",
        "O2,U1,new_business,open,abc,,2025-01-01,,false,false,2025-02-01",  # bad amount
        "O3,U1,bogus,open,5,,2025-01-01,,false,false,2025-02-01",  # enum
        ",U1,upsell,open,5,,2025-01-01,,false,false,2025-02-01",  # no key
        "O5,U1,upsell,open,5,,2025-01-01,,false,true,2025-02-01",  # won but not closed
        "O6,U1,upsell,open,5,,not-a-time,,false,false,2025-02-01",  # timestamp
        "O7,U1,upsell,open,5,,2025-01-01,,false,false,2025-02-01,surplus",  # malformed line
    ]
    batch = write_batch(tmp_path / "b1", {"opportunities": "\n".join(rows)})
    result = load_batch(con, batch)
    file = result.files[0]
    assert (file.received, file.loaded, file.quarantined) == (7, 1, 6)
    assert file.received == file.loaded + file.quarantined
    got = dict(reasons(con))
    assert got[2] == "amount: abc is not a valid money"
    assert got[3] == "opportunity_type: bogus is not one of new_business/upsell/renewal"
    assert got[4] == "missing required value: opportunity_id"
    assert got[5] == "is_won is true on an opportunity that is not closed"
    assert got[6] == "created_at: not-a-time is not a valid timestamp"
    assert got[7] == "malformed CSV record: expected 11 fields, found 12"
    # the good row: offset converted to UTC, amount typed, empty currency is NULL
    assert con.execute(
        "select opportunity_id, amount, currency, created_at from raw.opportunities"
    ).fetchall() == [("O1", 100.5, None, __import__("datetime").datetime(2025, 1, 1, 1, 0))]


def test_enum_values_are_normalised_by_case_and_lead_source_defaults_to_unknown(tmp_path, con):
    batch = write_batch(
        tmp_path / "b1",
        {
            "leads": "lead_id,created_at,source,status,updated_at\n"
            "L1,2025-01-01,Referral,NEW,2025-01-01\nL2,2025-01-01,,working,2025-01-01"
        },
    )
    load_batch(con, batch)
    assert con.execute(
        "select lead_id, source, status from raw.leads order by lead_id"
    ).fetchall() == [("L1", "referral", "new"), ("L2", "unknown", "working")]


def test_the_same_batch_twice_loads_once(tmp_path, con):
    text = "team_id,team_name,updated_at\nT1,Pod A,2025-01-01"
    batch = write_batch(tmp_path / "b1", {"teams": text})
    load_batch(con, batch)
    again = load_batch(con, batch)
    assert again.files[0].status == "skipped"
    assert "already loaded in batch b1" in again.files[0].message
    # the same file delivered again in another batch is recognised by its content hash
    load_batch(con, write_batch(tmp_path / "b2", {"teams": text}))
    assert con.execute("select count(*) from raw.teams").fetchone() == (1,)
    assert len(manifest(con)) == 1


def test_upserts_and_deletes_are_appended_and_extra_columns_kept(tmp_path, con):
    write_batch(
        tmp_path / "b1",
        {"teams": "team_id,team_name,updated_at,crm_colour\nT1,Pod A,2025-01-01,red"},
    )
    write_batch(
        tmp_path / "b2",
        {
            "teams": "team_id,team_name,updated_at,is_deleted\n"
            "T1,Pod Alpha,2025-01-02,\nT2,Pod B,2025-01-02,\nT2,,2025-01-03,true"
        },
    )
    load_path(tmp_path / "w2.duckdb", tmp_path)
    with duckdb.connect(str(tmp_path / "w2.duckdb")) as c:
        rows = c.execute(
            "select team_id, team_name, is_deleted, _extra, _batch_id "
            "from raw.teams order by _batch_id, _row_number"
        ).fetchall()
    assert rows == [
        ("T1", "Pod A", False, '{"crm_colour":"red"}', "b1"),
        ("T1", "Pod Alpha", False, None, "b2"),
        ("T2", "Pod B", False, None, "b2"),
        # a delete needs only the key and updated_at
        ("T2", None, True, None, "b2"),
    ]


def test_a_batch_loads_all_or_nothing(tmp_path, con):
    batch = write_batch(
        tmp_path / "b1",
        {"teams": "team_id,team_name,updated_at\nT1,Pod A,2025-01-01"},
    )
    (batch / "users.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(UserError, match=r"users\.parquet: cannot be read as parquet"):
        load_batch(con, batch)
    assert con.execute("select count(*) from raw.teams").fetchone() == (0,)
    assert con.execute("select count(*) from raw._load_manifest").fetchone() == (0,)


def test_unknown_file_is_rejected_but_its_rows_are_kept(tmp_path, con):
    batch = write_batch(tmp_path / "b1", {"deals": "id,name\n1,x\n2,y"})
    result = load_batch(con, batch)
    assert result.files[0].status == "rejected"
    assert result.files[0].message.startswith("deals.csv: unknown entity 'deals'")
    assert con.execute("select count(*) from raw._quarantine").fetchone() == (2,)


def test_parquet_extracts_follow_the_same_contract(tmp_path, con):
    batch = tmp_path / "b1"
    batch.mkdir()
    con.execute(
        f"""copy (select 'T1' as team_id, 'Pod A' as team_name,
                  timestamp '2025-01-01 10:00' as updated_at)
        to '{batch / "teams.parquet"}' (format parquet)"""
    )
    load_batch(con, batch)
    assert con.execute("select team_id, updated_at from raw.teams").fetchall() == [
        ("T1", __import__("datetime").datetime(2025, 1, 1, 10, 0))
    ]


def test_typed_parquet_loads_exactly_as_the_same_rows_in_csv(tmp_path):
    """Parquet keeps its column types (no text round trip for typed columns); the stored
    rows and the quarantine reasons must be the ones the same rows give as CSV."""
    csv_rows = [
        OPPS_HEADER,
        "O1, 7 ,New_Business,won,100.5,eur,2025-01-01T10:00:00+09:00,2025-02-01,true,true,"
        "2025-02-01T00:00:00",
        "O2,8,upsell,open,,,2025-01-02T08:30:00+00:00,,false,false,2025-02-01T00:00:00",
        "O3,8,upsell,open,5,,2025-01-03T00:00:00+00:00,,false,true,2025-02-01T00:00:00",
        "O4,8,bogus,open,5,,2025-01-04T00:00:00+00:00,,false,false,2025-02-01T00:00:00",
    ]
    csv_batch = write_batch(tmp_path / "csv" / "b1", {"opportunities": "\n".join(csv_rows)})
    parquet_batch = tmp_path / "parquet" / "b1"
    parquet_batch.mkdir(parents=True)
    (parquet_batch / "_SUCCESS").touch()
    with duckdb.connect() as scratch:
        scratch.execute("set TimeZone = 'UTC'")
        # native types where a CRM export would have them: an integer owner id, a double
        # amount, an instant with its zone, a date, booleans
        scratch.execute(
            f"""copy (
                select * from (values
                    ('O1', 7, 'New_Business', 'won', 100.5::double, 'eur',
                     timestamptz '2025-01-01 10:00:00+09:00', date '2025-02-01', true, true,
                     timestamp '2025-02-01 00:00:00'),
                    ('O2', 8, 'upsell', 'open', null, null,
                     timestamptz '2025-01-02 08:30:00+00:00', null, false, false,
                     timestamp '2025-02-01 00:00:00'),
                    ('O3', 8, 'upsell', 'open', 5, null,
                     timestamptz '2025-01-03 00:00:00+00:00', null, false, true,
                     timestamp '2025-02-01 00:00:00'),
                    ('O4', 8, 'bogus', 'open', 5, null,
                     timestamptz '2025-01-04 00:00:00+00:00', null, false, false,
                     timestamp '2025-02-01 00:00:00')
                ) as t(opportunity_id, owner_id, opportunity_type, stage, amount, currency,
                       created_at, close_date, is_closed, is_won, updated_at)
            ) to '{parquet_batch / "opportunities.parquet"}' (format parquet)"""
        )
    stored = {}
    for kind, batch in (("csv", csv_batch), ("parquet", parquet_batch)):
        with duckdb.connect(str(tmp_path / f"{kind}.duckdb")) as con:
            load_batch(con, batch)
            stored[kind] = (
                con.execute(
                    "select * exclude (_source_file, _loaded_at, _extra) from raw.opportunities"
                ).fetchall(),
                reasons(con),
                manifest(con),
            )
    rows, quarantined, counts = stored["parquet"]
    assert rows == stored["csv"][0]
    assert quarantined == stored["csv"][1]
    assert quarantined == [
        (3, "is_won is true on an opportunity that is not closed"),
        (4, "opportunity_type: bogus is not one of new_business/upsell/renewal"),
    ]
    assert counts == stored["csv"][2]
    # id, owner (text), type (lower), amount, currency (upper), created_at (UTC)
    assert [(r[0], r[2], r[3], str(r[5]), r[6], str(r[7])) for r in rows] == [
        ("O1", "7", "new_business", "100.50", "EUR", "2025-01-01 01:00:00"),
        ("O2", "8", "upsell", "None", None, "2025-01-02 08:30:00"),
    ]


def test_finding_batches_needs_a_marker_or_files(tmp_path):
    with pytest.raises(UserError, match="extracts path not found"):
        find_batches(tmp_path / "missing")
    write_batch(tmp_path / "landing" / "b2", {"teams": "team_id"}, complete=False)
    with pytest.raises(UserError, match="_SUCCESS marker"):
        find_batches(tmp_path / "landing")
    write_batch(tmp_path / "landing" / "b1", {"teams": "team_id"})
    assert [b.name for b in find_batches(tmp_path / "landing")] == ["b1"]
