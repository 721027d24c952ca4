"""The Python packages' layering: imports point down only (cli -> orchestration ->
salesperf), no stage before publish imports the publish stage, and Dagster code reads
its configuration from the settings resource alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "salesperf": ROOT / "src" / "salesperf",
    "salesperf_cli": ROOT / "src" / "salesperf_cli",
    "orchestration": ROOT / "orchestration",
}
# the stages a run goes through before publishing, and what they are built from
BEFORE_PUBLISH = (
    "contract",
    "csv_repair",
    "mapping",
    "load",
    "lake",
    "build",
    "spark",
    "spark_gate",
    "quality",
    "data_docs",
    "settings",
    "run_lock",
    "warehouse_io",
)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules_of(package: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(ROOT)): imported_modules(path)
        for path in sorted(PACKAGES[package].rglob("*.py"))
    }


def importing(package: str, target: str) -> list[str]:
    return [
        name
        for name, modules in modules_of(package).items()
        if any(m == target or m.startswith(f"{target}.") for m in modules)
    ]


@pytest.mark.parametrize(
    ("package", "above"),
    [
        ("salesperf", "orchestration"),
        ("salesperf", "salesperf_cli"),
        ("orchestration", "salesperf_cli"),
    ],
)
def test_a_package_never_imports_the_layer_above_it(package, above):
    assert importing(package, above) == []


def test_the_cli_drives_both_packages():
    """The layer above really is above: without these imports the test above is empty."""
    modules = set().union(*modules_of("salesperf_cli").values())
    assert any(m.startswith("orchestration.") for m in modules)
    assert any(m.startswith("salesperf.") for m in modules)


def test_no_stage_before_publish_imports_the_publish_stage():
    early = {f"src/salesperf/{name}.py" for name in BEFORE_PUBLISH}
    assert early <= set(modules_of("salesperf")), "a listed stage no longer exists"
    assert sorted(set(importing("salesperf", "salesperf.publish")) & early) == []


def test_dagster_code_reads_settings_only_from_the_resource():
    calls = {
        str(path.relative_to(ROOT))
        for path in PACKAGES["orchestration"].rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "load_settings"
    }
    assert calls == {"orchestration/resources.py"}
