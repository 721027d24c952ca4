"""Audited marts -> the serving file BI tools open read-only (write-audit-publish)."""

import dagster as dg

from orchestration.assets.quality import MART_SUITES, mart_key
from salesperf.publish import publish
from salesperf.settings import load_settings

# everything in the marts schema is published; the KPI marts carry the blocking checks
PUBLISHED_FROM = sorted({mart_key(m) for m in MART_SUITES.values()}, key=str) + [
    mart_key(m)
    for m in (
        "dim_reps",
        "dim_leads",
        "dim_rep_roles",
        "dim_teams",
        "dim_accounts",
        "dim_dates",
        "fct_activities",
        "fct_lead_handoffs",
        "fct_opportunities",
        "fct_opportunity_stage_history",
        "fct_account_values_monthly",
    )
]


@dg.asset(
    key=dg.AssetKey(["serving", "salesperf"]),
    deps=PUBLISHED_FROM,
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The serving DuckDB file BI tools open read-only: the marts schema, swapped in "
        "atomically only after every dbt test and Great Expectations mart suite passed."
    ),
)
def serving_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    publication = publish(load_settings(), run_id=context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "path": str(publication.path),
            "version": publication.version,
            "tables": len(publication.tables),
            "kpi_company_monthly_rows": publication.tables.get("kpi_company_monthly", 0),
        }
    )
