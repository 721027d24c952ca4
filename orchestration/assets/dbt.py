"""The dbt project as Dagster assets: `dbt build`, so dbt tests become asset checks."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.assets.raw import raw_key
from orchestration.resources import DBT_PROJECT, WAREHOUSE_POOL
from salesperf.build import (
    build_args,
    dbt_environment,
    failed_nodes,
    scheduled_target,
    temporary_environment,
)
from salesperf.settings import Settings

TRANSIENT = ("Could not set lock on file", "Conflicting lock", "database is locked")


class SalesperfTranslator(DagsterDbtTranslator):
    """Sources land on the raw assets; models are keyed by schema and grouped by folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return raw_key(dbt_resource_props["name"])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if len(fqn) > 2 and fqn[1] == "marts":
            return fqn[2]  # core, sdr, ae, am, performance
        return fqn[1] if len(fqn) > 1 else "dbt"


class BuildConfig(dg.Config):
    as_of_date: str = ""  # YYYY-MM-DD; empty: the setting, else the data's last event date
    full_refresh: bool = False
    # a file for dbt's node-by-node output (`salesperf run`); empty: stdout, which the
    # Dagster UI keeps as the step's compute log
    dbt_log: str = ""


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=SalesperfTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
    pool=WAREHOUSE_POOL,
)
def dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    config: BuildConfig,
    settings: dg.ResourceParam[Settings],
):
    args = build_args(
        settings, as_of_date=config.as_of_date or None, full_refresh=config.full_refresh
    )
    # named as salesperf.build names it: dbt reuses a parse only for the same target flag
    args = ["build", *args, "--target", settings.dbt_target]
    # compiled beside the warehouse (target/ holds the parse Dagster reads at import)
    with temporary_environment(dbt_environment(settings)), _output_to(config.dbt_log):
        invocation = dbt.cli(
            args, context=context, raise_on_error=False, target_path=scheduled_target(settings)
        )
        yield from invocation.stream()
    if invocation.is_successful():
        return
    failures = _failures(invocation, settings)
    if any(marker in message for _, message in failures for marker in TRANSIENT):
        raise dg.RetryRequested(max_retries=3, seconds_to_wait=2 ** (context.retry_number + 1))
    # a failing test is deterministic: no retry; what depends on it was not built
    raise dg.Failure(
        description="dbt build failed: "
        + "; ".join(f"{node}: {message}" for node, message in failures[:10]),
        metadata={"failed_nodes": [node for node, _ in failures]},
        allow_retries=False,
    )


@contextmanager
def _output_to(path: str) -> Iterator[None]:
    if not path:
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as log, redirect_stdout(log):
        yield


def _failures(invocation, settings: Settings) -> list[tuple[str, str]]:
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except Exception:  # dbt stopped before writing results (e.g. a lock at start)
        error = invocation.get_error()
        return [("dbt", str(error) if error else "dbt exited with an error")]
    return failed_nodes(results, settings)
