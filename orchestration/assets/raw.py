"""Landing files -> raw.<entity>: one asset per extract entity, all written by the loader.

(No `from __future__ import annotations` here: Dagster reads the config annotations.)
"""

from collections import defaultdict
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.resources import WAREHOUSE_POOL
from salesperf.contract import ENTITIES
from salesperf.errors import UserError
from salesperf.lake import export_raw
from salesperf.load import load_path
from salesperf.quality import validate_raw_batches
from salesperf.run_lock import WarehouseBusy, hold_until_exit
from salesperf.settings import Settings

RAW_TABLES = (*ENTITIES, "_load_manifest", "_quarantine")


class LoadConfig(dg.Config):
    extracts: str = ""  # a batch folder, or a folder of batches; empty: the landing folder


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


@dg.multi_asset(
    name="raw_extracts",
    specs=[
        dg.AssetSpec(
            raw_key(table),
            group_name="raw",
            kinds={"duckdb"},
            description=(
                f"raw.{table}: every delivered version, append-only (docs/landing-contract.md)"
                if table in ENTITIES
                else f"raw.{table}: the loader's bookkeeping"
            ),
        )
        for table in RAW_TABLES
    ],
    check_specs=[
        dg.AssetCheckSpec("gx_raw_suite", asset=raw_key(entity), blocking=False)
        for entity in ENTITIES
    ],
    pool=WAREHOUSE_POOL,
)
def raw_extracts(
    context: dg.AssetExecutionContext, config: LoadConfig, settings: dg.ResourceParam[Settings]
):
    path = Path(config.extracts) if config.extracts else settings.landing
    try:
        hold_until_exit(settings)  # one run per warehouse (a no-op under `salesperf run`)
    except WarehouseBusy as exc:
        context.log.info(str(exc))
        raise dg.RetryRequested(
            max_retries=10, seconds_to_wait=min(60, 2 ** (context.retry_number + 2))
        ) from exc
    try:
        results = load_path(
            settings.warehouse,
            path,
            progress=context.log.info,
            config=settings.duckdb_config,
        )
    except duckdb.IOException as exc:
        # another process holds the file: worth waiting for, with backoff
        raise dg.RetryRequested(
            max_retries=3, seconds_to_wait=2 ** (context.retry_number + 1)
        ) from exc
    except UserError as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from exc
    if settings.engine == "spark":
        # Spark reads the validated rows from the lake: each new batch, once
        written = export_raw(settings.warehouse, settings.lake, progress=context.log.info)
        context.log.info(f"lake: {written} new table-batch(es) in {settings.lake}")

    per_entity: dict[str, dict[str, int]] = defaultdict(
        lambda: {"received": 0, "loaded": 0, "quarantined": 0}
    )
    batches: dict[str, list[str]] = defaultdict(list)
    for batch in results:
        for f in batch.files:
            if f.status == "skipped":
                continue
            totals = per_entity[f.entity]
            totals["received"] += f.received
            totals["loaded"] += f.loaded
            totals["quarantined"] += f.quarantined
            batches[f.entity].append(batch.batch_id)
    for entity in ENTITIES:
        totals = per_entity[entity]
        yield dg.MaterializeResult(
            asset_key=raw_key(entity),
            metadata={
                "batches": ", ".join(batches[entity]) or "(none new)",
                "rows_received": totals["received"],
                "rows_loaded": totals["loaded"],
                "rows_quarantined": totals["quarantined"],
            },
        )
    all_files = [f for b in results for f in b.files if f.status != "skipped"]
    yield dg.MaterializeResult(
        asset_key=raw_key("_load_manifest"),
        metadata={"batches": len(results), "files": len(all_files)},
    )
    yield dg.MaterializeResult(
        asset_key=raw_key("_quarantine"),
        metadata={"rows_quarantined": sum(f.quarantined for f in all_files)},
    )
    # the raw suites flag what is implausible in the batches just loaded; they warn,
    # because docs/landing-contract.md loads such rows (the marts' checks are the ones that block)
    new_batches = sorted({b for names in batches.values() for b in names})
    report = validate_raw_batches(settings, new_batches)
    for entity in ENTITIES:
        suites = [s for s in report.suites if s.suite.startswith(f"raw.{entity}@")]
        problems = [s.summary() for s in suites if not s.passed]
        warnings = [
            f"{s.suite}: {o.expectation}({o.column or ''}) {o.detail}"
            for s in suites
            for o in s.warnings
        ]
        yield dg.AssetCheckResult(
            asset_key=raw_key(entity),
            check_name="gx_raw_suite",
            passed=not problems and not warnings,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{len(suites)} batch suite(s) run" if suites else "no new rows",
            metadata={"failed": problems, "warnings": warnings[:20]},
        )
