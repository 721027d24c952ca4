"""The project's own docs stay true: the KPI catalogue lists every column of every KPI
mart and nothing that is not built, the landing contract page names what the loader
enforces, and no doc or comment sends a reader to a file outside the repository."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from salesperf.contract import ENTITIES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def catalogue_sections() -> dict[str, set[str]]:
    """mart -> the columns its table in the catalogue lists."""
    sections: dict[str, set[str]] = {}
    mart = None
    for line in (DOCS / "kpi-catalogue.md").read_text().splitlines():
        if heading := re.fullmatch(r"### `(kpi_\w+)`", line):
            mart = heading[1]
            sections[mart] = set()
        elif mart and (row := re.match(r"\| `(\w+)` \|", line)):
            sections[mart].add(row[1])
    return sections


@pytest.fixture(scope="module")
def kpi_marts() -> dict[str, dict]:
    manifest = json.loads((ROOT / "target" / "manifest.json").read_text())
    return {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith("kpi_")
    }


def test_every_kpi_column_is_in_the_catalogue_and_everything_listed_is_built(kpi_marts):
    sections = catalogue_sections()
    assert set(sections) == set(kpi_marts), "a mart is missing from the catalogue, or gone"
    for mart, node in kpi_marts.items():
        built = set(node["columns"])
        assert built - sections[mart] == set(), f"{mart}: not in the catalogue"
        assert sections[mart] - built == set(), f"{mart}: in the catalogue, not built"


def test_the_catalogue_links_each_mart_to_its_sql(kpi_marts):
    text = (DOCS / "kpi-catalogue.md").read_text()
    for mart, node in kpi_marts.items():
        path = node["original_file_path"]
        assert f"(../{path})" in text, mart
        assert (ROOT / path).exists()


def test_the_landing_contract_page_names_every_entity_and_column():
    rows = {
        m[1]: m[2]
        for m in re.finditer(
            r"^\| `(\w+)` \| (.+) \|$", (DOCS / "landing-contract.md").read_text(), re.M
        )
    }
    assert set(rows) == set(ENTITIES)
    for name, entity in ENTITIES.items():
        for column in entity.columns:
            assert f"`{column.name}`" in rows[name], (name, column.name)
            if column.required:
                assert f"`{column.name}`*" in rows[name], (name, column.name)


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    suffixes = {".md", ".py", ".sql", ".yml", ".yaml", ".toml", ".json", ".cfg"}
    return [ROOT / f for f in listed if Path(f).suffix in suffixes or f == "Makefile"]


def test_nothing_points_outside_the_repository():
    outside = re.compile(r"\.\./shared|\bkpis\.md\b|\bextracts\.md\b|architecture\.md")
    found = [
        f"{path.relative_to(ROOT)}: {match[0]}"
        for path in _tracked_text_files()
        if path.name != "test_docs.py"
        for match in outside.finditer(path.read_text(errors="replace"))
    ]
    assert found == []


def test_links_in_the_readme_and_docs_resolve():
    broken = []
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text()):
            if re.match(r"[a-z]+://", target):
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_dbt_docs_open_on_our_overview_and_every_model_has_an_owner():
    manifest = json.loads((ROOT / "target" / "manifest.json").read_text())
    overview = manifest["docs"]["doc.salesperf.__overview__"]["block_contents"]
    assert "KPI catalogue" in overview and "Welcome" not in overview
    owners = {g["name"]: g["owner"] for g in manifest["groups"].values()}
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert models and all(owners.get(n["group"], {}).get("email") for n in models)
    assert all(e["owner"].get("email") for e in manifest["exposures"].values())
