"""The `salesperf` command: the application layer above the two packages it drives,
`salesperf` (contract, loader, dbt, quality gate, publish, readers) and `orchestration`
(the Dagster job). Imports point down only: cli -> orchestration -> salesperf."""

from salesperf_cli.commands import main, map_exports

__all__ = ["main", "map_exports"]
