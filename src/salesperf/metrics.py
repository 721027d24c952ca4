"""MetricFlow over the published marts: `salesperf metrics ...` is `mf ...` pointed at the
serving file, read-only, so an analyst's query never touches the working warehouse.

The metrics themselves are dbt YAML (models/semantic/); this module only sets up the
environment MetricFlow reads (profiles.yml target `serving`) and runs it.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from salesperf.errors import UserError
from salesperf.settings import Settings
from salesperf.warehouse_io import serving_path


def semantic_manifest(settings: Settings) -> Path:
    return settings.project_dir / "target" / "semantic_manifest.json"


def compiled_catalog(settings: Settings) -> str:
    """The catalog (DuckDB database name) the semantic models were compiled against:
    the serving file is attached under that name so the compiled SQL finds it."""
    path = semantic_manifest(settings)
    if not path.exists():
        raise UserError(f"{path} is missing: run `make target/manifest.json` (dbt parse) first")
    models = json.loads(path.read_text())["semantic_models"]
    if not models:
        raise UserError(f"{path} defines no semantic models: re-run dbt parse")
    return models[0]["node_relation"]["database"]


def mf_environment(settings: Settings, *, need_data: bool = True) -> dict[str, str]:
    serving = serving_path(settings)
    if need_data and not serving.exists():
        raise UserError(f"nothing published yet at {serving}: run `salesperf run` first")
    return os.environ | {
        "DBT_PROFILES_DIR": str(settings.project_dir),
        "DBT_PROJECT_DIR": str(settings.project_dir),
        "SALESPERF_DBT_TARGET": "serving",
        "SALESPERF_SERVING": str(serving),
        "SALESPERF_SERVING_CATALOG": compiled_catalog(settings),
    }


def run_mf(settings: Settings, args: Sequence[str], *, capture: bool = False) -> str:
    """Run MetricFlow's CLI with `args`; raise UserError with its message when it fails."""
    mf = Path(sys.executable).with_name("mf")
    asks_help = any(a in ("--help", "-h") for a in args)  # help needs no published data
    result = subprocess.run(
        [str(mf), *args],
        env=mf_environment(settings, need_data=not asks_help),
        cwd=settings.project_dir,
        capture_output=capture,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        if not capture:
            raise UserError(f"mf {' '.join(args)} failed (exit {result.returncode})")
        raise UserError(f"metrics: {mf_error(result.stderr or result.stdout or '')}")
    return result.stdout or ""


def mf_error(output: str) -> str:
    """MetricFlow's error in one line: its message and its suggestions, without the
    banner, the log paths and the request to report a bug."""
    lines = [line.strip() for line in output.splitlines()]
    message = ""
    if "Message:" in lines:
        start = lines.index("Message:") + 1
        message = next((line for line in lines[start:] if line), "")
    if not message:
        useful = [
            line
            for line in lines
            if line
            and not line.startswith(("Log File", "Artifact", "If you think", "https://"))
            and "Initiating query" not in line
        ]
        message = useful[-1] if useful else "MetricFlow failed without a message"
    suggestions = next((lines[i + 1] for i, line in enumerate(lines) if line == "Suggestions:"), "")
    if suggestions:
        names = [n.strip(" '\"") for n in suggestions.strip("[]").split(",")][:3]
        message += f" (did you mean {', '.join(names)}?)"
    return message.removeprefix("ERROR: ")


def _plain(value: str) -> str:
    """A number as people read it: no exponent, no trailing zeros."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number != number:  # NaN
        return value
    if number.is_integer():
        return f"{int(number)}"
    return f"{number:.4f}".rstrip("0").rstrip(".")


def query_table(settings: Settings, args: Sequence[str]) -> str:
    """`mf query ...` printed as a table ordered by its group-by columns, plain numbers."""
    from salesperf.report import table

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "query.csv"
        run_mf(settings, [*args, "--csv", str(out), "--quiet"], capture=True)
        with out.open(newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    metrics: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--metrics" and i + 1 < len(args):
            metrics = args[i + 1].split(",")
    keys = [c for c in columns if c not in metrics]
    rows.sort(key=lambda r: tuple(r[k] for k in keys))
    return table(columns, [[_plain(r[c] or "") or "-" for c in columns] for r in rows])


def query(
    settings: Settings,
    metrics: Sequence[str],
    group_by: Sequence[str] = ("metric_time__month",),
    where: str | None = None,
) -> list[dict[str, str]]:
    """Rows of one MetricFlow query, values as MetricFlow printed them to CSV."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "query.csv"
        args = ["query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by)]
        if where:
            args += ["--where", where]
        run_mf(settings, [*args, "--csv", str(out), "--quiet"], capture=True)
        with out.open(newline="") as handle:
            return list(csv.DictReader(handle))
