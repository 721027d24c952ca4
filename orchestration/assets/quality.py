"""Great Expectations mart suites as blocking asset checks: publish waits for them."""

import dagster as dg

from salesperf.quality import QualityReport, SuiteResult, validate_marts
from salesperf.settings import Settings
from salesperf.warehouse_io import serving_path

# the GX suite file names, expectations/marts/<name>.json, and the mart each one guards
MART_SUITES = {
    "kpi_sdr_monthly": "kpi_sdr_monthly",
    "kpi_ae_monthly": "kpi_ae_monthly",
    "kpi_am_monthly": "kpi_am_monthly",
    "kpi_team_monthly": "kpi_team_monthly",
    "kpi_company_monthly": "kpi_company_monthly",
    "kpi_lead_source_monthly": "kpi_lead_source_monthly",
    "kpi_handoff_rejection_reasons": "kpi_handoff_rejection_reasons",
    "reconcile_revenue_to_bookings": "kpi_company_monthly",
    "kpi_scorecard": "kpi_scorecard",
    "kpi_leaderboard": "kpi_leaderboard",
    "kpi_quota_attainment_company": "kpi_quota_attainment_company",
    "plausibility_won_amounts": "fct_opportunities",
}


def mart_key(mart: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", mart])


def check_result(
    suite: SuiteResult, asset_key: dg.AssetKey, check_name: str, report: QualityReport
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=check_name,
        passed=suite.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=suite.summary(),
        metadata={
            "expectations": len(suite.outcomes),
            "failed": [f"{o.expectation}({o.column or ''}) {o.detail}" for o in suite.failures],
            "warnings": [f"{o.expectation}({o.column or ''}) {o.detail}" for o in suite.warnings],
            "data_docs": str(report.docs_index) if report.docs_index else "",
        },
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(f"gx_{suite}", asset=mart_key(mart), blocking=True)
        for suite, mart in MART_SUITES.items()
    ],
    description="The Great Expectations mart suites (expectations/marts/*.json).",
)
def gx_mart_suites(context: dg.AssetCheckExecutionContext, settings: dg.ResourceParam[Settings]):
    report = validate_marts(settings, serving_path(settings))
    by_name = {s.suite.split(".", 1)[1]: s for s in report.suites}
    for suite, mart in MART_SUITES.items():
        result = by_name.get(suite) or SuiteResult(f"marts.{suite}", error="suite file missing")
        yield check_result(result, mart_key(mart), f"gx_{suite}", report)
    context.log.info(f"Data Docs: {report.docs_index}")
