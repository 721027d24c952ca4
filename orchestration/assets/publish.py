"""Audited marts -> the serving file BI tools open read-only (write-audit-publish), and
what is made from it for readers: Parquet files, the dashboard, dbt's docs site."""

import dagster as dg

from orchestration.assets.quality import MART_SUITES, mart_key
from salesperf.build import generate_docs
from salesperf.dashboard import write_dashboard
from salesperf.publish import export_parquet, publish
from salesperf.settings import Settings

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
def serving_warehouse(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings]
) -> dg.MaterializeResult:
    publication = publish(settings, run_id=context.run.run_id)
    if publication.skipped:
        context.log.warning(
            "the marts equal a version that was rolled back: it is not published again "
            f"(still serving {publication.version}); change the data or publish by hand"
        )
    return dg.MaterializeResult(
        metadata={
            "path": str(publication.path),
            "version": publication.version,
            "skipped_as_withdrawn": publication.skipped,
            "tables": len(publication.tables),
            "kpi_company_monthly_rows": publication.tables.get("kpi_company_monthly", 0),
        }
    )


@dg.asset(
    key=dg.AssetKey(["serving", "parquet"]),
    deps=[serving_warehouse],
    group_name="publish",
    kinds={"parquet"},
    description="Every published mart as a Parquet file, for tools that read files.",
)
def marts_parquet(settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
    files = export_parquet(settings)
    return dg.MaterializeResult(
        metadata={"folder": str(next(iter(files.values())).parent), "files": len(files)}
    )


@dg.asset(
    key=dg.AssetKey(["serving", "dashboard"]),
    deps=[serving_warehouse],
    group_name="publish",
    kinds={"html"},
    description=(
        "Static HTML dashboard (company trends, scorecards with pace, quota attainment, "
        "leaderboards, contests, lead sources, AM books) and the self-refreshing TV "
        "leaderboard, drawn from the published marts."
    ),
)
def dashboard(settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
    pages = write_dashboard(settings)
    return dg.MaterializeResult(
        metadata={
            "dashboard": dg.MetadataValue.path(str(pages.index)),
            "tv": dg.MetadataValue.path(str(pages.tv)),
            "month": str(pages.month),
        }
    )


@dg.asset(
    key=dg.AssetKey(["docs", "dbt"]),
    deps=[serving_warehouse],
    group_name="publish",
    kinds={"dbt"},
    description="dbt's docs site for the published build (`make docs` serves it).",
)
def dbt_docs(settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
    index = generate_docs(settings)
    return dg.MaterializeResult(metadata={"static_index": dg.MetadataValue.path(str(index))})
