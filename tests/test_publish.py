"""Write-audit-publish: atomic swaps, versions and rollback, what BI can and cannot do."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import duckdb
import pytest

from salesperf.errors import UserError
from salesperf.publish import current_version, publish, published_versions, rollback
from salesperf.warehouse_io import connect_read_only, serving_path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def working(settings):
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create schema raw")
        con.execute("create table raw.leads as select 'a@b.io' as email")
        con.execute("create table marts.kpi_company_monthly as select 1 as month, 10.0 as revenue")
    return settings


def set_revenue(settings, value: float) -> None:
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("update marts.kpi_company_monthly set revenue = ?", [value])


def test_publish_serves_only_the_marts_and_keeps_versions_for_rollback(working):
    first = publish(working)
    first_bytes = digest(serving_path(working))
    set_revenue(working, 20.0)
    second = publish(working)
    assert published_versions(working) == [first.version, second.version]
    with connect_read_only(serving_path(working)) as con:
        assert con.execute("select revenue from marts.kpi_company_monthly").fetchone() == (20.0,)
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()}
    assert schemas == {"marts"}  # no raw or staging tables, so no personal data
    assert rollback(working) == first.version
    assert digest(serving_path(working)) == first_bytes  # byte for byte
    assert current_version(working) == first.version
    with pytest.raises(UserError, match="oldest version kept"):
        rollback(working)


def test_only_the_newest_versions_are_kept(working):
    for _ in range(4):
        publish(working, keep=2)
    assert len(published_versions(working)) == 2


def test_a_bi_connection_cannot_write_attach_copy_or_read_files(working, tmp_path):
    publish(working)
    con = connect_read_only(serving_path(working))
    refused = [
        "create table marts.x as select 1",
        "delete from marts.kpi_company_monthly",
        f"attach '{working.warehouse}' as w",
        f"copy marts.kpi_company_monthly to '{tmp_path / 'out.csv'}'",
        "select * from read_csv('/etc/hostname')",
        "set enable_external_access = true",
        "install httpfs",
    ]
    for statement in refused:
        with pytest.raises(duckdb.Error):
            con.execute(statement)
    assert con.execute("select count(*) from marts.kpi_company_monthly").fetchone() == (1,)


READER = textwrap.dedent(
    """
    import json, sys, duckdb
    path, rounds = sys.argv[1], int(sys.argv[2])
    held = duckdb.connect(path, read_only=True)  # opened once, held across publishes
    seen = set()
    for _ in range(rounds):
        for con in (held, duckdb.connect(path, read_only=True)):
            seen.add(con.execute(
                "select p.version, k.revenue::double "
                "from marts._publication p, marts.kpi_company_monthly k"
            ).fetchone())
    print(json.dumps(sorted(seen)))
    """
)


def test_a_reader_never_errors_and_always_sees_a_whole_version(working):
    revenues = {}
    first = publish(working)
    revenues[first.version] = 10.0
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving_path(working)), "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for i in range(1, 8):
        set_revenue(working, 10.0 + i)
        revenues[publish(working).version] = 10.0 + i
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    seen = json.loads(out)
    assert seen, "the reader saw nothing"
    # each version read pairs with the revenue that version published: no torn reads
    for version, revenue in seen:
        assert revenues[version] == revenue


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"\+?\d[\d\- ]{7,}\d")


def privacy_findings(path) -> list[str]:
    findings = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            values = con.execute(
                f'select distinct "{column}" from {schema}.{table} where "{column}" is not null'
            ).fetchall()
            for (value,) in values:
                if EMAIL.search(value) or PHONE.fullmatch(value):
                    findings.append(f"{table}.{column}: {value}")
                    break
    return findings


def test_the_scan_finds_personal_data_when_it_is_there(working):
    assert privacy_findings(working.warehouse) == ["leads.email: a@b.io"]


def test_the_serving_file_protects_itself(working):
    """Read-only on disk, each version its own file (not a hard link: writing one could
    not change another), orphans of a killed publish removed by the next one."""
    folder = serving_path(working).parent
    orphan = folder / ".20250101T000000000000Z.duckdb.tmp"
    first = publish(working)
    orphan.write_bytes(b"left by a killed publish")
    second = publish(working)
    assert not orphan.exists()
    served = serving_path(working).stat()
    kept = (folder / "versions" / f"{second.version}.duckdb").stat()
    assert served.st_mode & 0o777 == 0o444 and kept.st_mode & 0o777 == 0o444
    assert served.st_nlink == 1 and kept.st_nlink == 1
    assert served.st_ino != kept.st_ino
    assert (folder / "versions" / f"{first.version}.duckdb").stat().st_mode & 0o222 == 0
    if os.geteuid() != 0:  # root ignores file modes (as CI here runs)
        with pytest.raises(duckdb.Error):  # a client that forgets read_only cannot write
            duckdb.connect(str(serving_path(working)))


def test_published_at_is_utc_whatever_the_machine_zone(working):
    code = (
        "from salesperf.publish import publish\n"
        "from salesperf.settings import load_settings\n"
        "publish(load_settings())\n"
    )
    env = os.environ | {"TZ": "Asia/Seoul", "SALESPERF_WAREHOUSE": str(working.warehouse)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    with connect_read_only(serving_path(working)) as con:
        published_at = con.execute("select published_at from marts._publication").fetchone()[0]
    now = datetime.now(UTC).replace(tzinfo=None)
    assert abs((now - published_at).total_seconds()) < 120  # Seoul would be 9 h off


def test_a_rolled_back_version_is_not_published_again_unless_its_data_change(working):
    first = publish(working)
    set_revenue(working, 99.0)  # a bad number
    bad = publish(working)
    assert rollback(working) == first.version
    again = publish(working)  # the next run builds the same bad number
    assert again.skipped and current_version(working) == first.version
    assert bad.version not in published_versions(working)
    set_revenue(working, 12.0)  # fixed at the source
    fixed = publish(working)
    assert not fixed.skipped and current_version(working) == fixed.version


POOLED_READER = textwrap.dedent(
    """
    import sys, sqlalchemy as sa
    from sqlalchemy.pool import NullPool
    from salesperf.warehouse_io import sqlalchemy_url
    from pathlib import Path
    pooled = {"pool": {}, "nullpool": {"poolclass": NullPool}}[sys.argv[2]]
    engine = sa.create_engine(sqlalchemy_url(Path(sys.argv[1])), **pooled)
    held = engine.connect() if sys.argv[2] == "pool" else None  # a server's kept connection
    query = sa.text("select version from marts._publication")
    for line in sys.stdin:  # one line per publish made by the test
        with engine.connect() as con:
            print(con.execute(query).scalar_one(), flush=True)
    """
)


def _versions_seen(working, pooling: str) -> list[str]:
    reader = subprocess.Popen(
        [sys.executable, "-c", POOLED_READER, str(serving_path(working)), pooling],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    seen = []
    for revenue in (11.0, 12.0, None):
        reader.stdin.write("go\n")
        reader.stdin.flush()
        seen.append(reader.stdout.readline().strip())
        if revenue is not None:
            set_revenue(working, revenue)
            publish(working)
    reader.stdin.close()
    reader.wait(timeout=60)
    return seen


def test_a_pooled_bi_server_sees_the_newest_version_with_nullpool(working):
    """DuckDB keeps one database instance per path in a process: a server that keeps a
    connection open keeps reading the version it first opened, even from new connections.
    The documented way (BI and analysts page): NullPool and no kept connection, so each
    query opens the file anew and sees each new version."""
    publish(working)
    start = published_versions(working)[-1]
    assert _versions_seen(working, "pool") == [start] * 3
    start = published_versions(working)[-1]
    assert _versions_seen(working, "nullpool") == [start, *published_versions(working)[-2:]]
