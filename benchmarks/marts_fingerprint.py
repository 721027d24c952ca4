"""Row count and an order-free hash of the rows of every table in a warehouse's marts.

A refactor that must not change a number compares two warehouses built from the same data:

    python benchmarks/marts_fingerprint.py before.duckdb after.duckdb

Bookkeeping columns (a leading underscore: build and load times) are left out of the
hash; everything a reader sees is in it. Exits 1 when any table differs.
"""

from __future__ import annotations

import sys

import duckdb


def fingerprint(path: str) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(path, read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        prints = {}
        for table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if not row[0].startswith("_")
            ]
            row = ", ".join(f'"{c}" := "{c}"' for c in columns)
            count, digest = con.execute(
                f"select count(*), coalesce(sum(hash(struct_pack({row}))::hugeint), 0) "
                f'from marts."{table}"'
            ).fetchall()[0]
            prints[table] = (int(count), int(digest))
        return prints
    finally:
        con.close()


def main(before: str, after: str) -> int:
    old, new = fingerprint(before), fingerprint(after)
    differ = 0
    for table in sorted(set(old) | set(new)):
        verdict = "equal" if old.get(table) == new.get(table) else "DIFFERS"
        differ += verdict != "equal"
        rows = new.get(table, old.get(table, (0, 0)))[0]
        print(f"{table:34} {rows:>12,} rows  {verdict}")
    print(f"{len(set(old) | set(new))} tables, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
