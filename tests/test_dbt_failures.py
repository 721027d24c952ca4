"""One failure parser for every dbt call (in-process or Dagster's): which nodes failed,
in dbt's words, and for a failing test the rows that broke it."""

from __future__ import annotations

import duckdb

from salesperf.build import failed_nodes
from salesperf.settings import load_settings


def test_failed_nodes_names_errors_and_failures_with_their_rows(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table deals as select * from (values ('A', 10), ('B', -5)) t(id, amount)"
        )
    settings = load_settings({"SALESPERF_WAREHOUSE": str(warehouse)})
    results = [
        {"unique_id": "model.salesperf.fine", "status": "success", "message": "OK"},
        {"unique_id": "test.salesperf.soft", "status": "warn", "message": "Got 1 result"},
        {"unique_id": "model.salesperf.broken", "status": "error", "message": " Binder Error \n"},
        {
            "unique_id": "test.salesperf.positive_amount",
            "status": "fail",
            "message": "Got 1 result, configured to fail if != 0",
            "compiled_code": "select id, amount from deals where amount < 0",
        },
    ]
    assert failed_nodes(results, settings) == [
        ("model.salesperf.broken", "Binder Error"),
        (
            "test.salesperf.positive_amount",
            "Got 1 result, configured to fail if != 0 — e.g. id B, amount -5",
        ),
    ]


def test_a_failing_test_whose_rows_cannot_be_read_still_names_itself(tmp_path):
    settings = load_settings({"SALESPERF_WAREHOUSE": str(tmp_path / "absent.duckdb")})
    results = [{"unique_id": "test.salesperf.t", "status": "fail", "message": "Got 3 results"}]
    assert failed_nodes(results, settings) == [("test.salesperf.t", "Got 3 results")]
