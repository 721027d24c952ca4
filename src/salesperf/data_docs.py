"""Great Expectations' Data Docs, made to render with no network.

GX writes pages that load Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from
CDNs, and a logo from S3 with the context id in its query string. Offline the index is an
unstyled page with an empty list. After each build we point every page at two small
files of our own (``data_docs_offline/``) that do what those pages need, and drop every
remote reference, so opening the site makes no network request at all.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

OFFLINE_DIR = "static/offline"
_MARKER = "<!-- salesperf: offline -->"
_REMOTE = r"""["'](?:https?:)?//[^"']*["']"""
_REMOTE_LINK = re.compile(rf"<link\b[^>]*\bhref={_REMOTE}[^>]*>\s*", re.I)
_REMOTE_SCRIPT = re.compile(rf"<script\b[^>]*\bsrc={_REMOTE}[^>]*>\s*</script>\s*", re.I)
_REMOTE_IMG_SRC = re.compile(
    r"""(<img\b[^>]*\bsrc=)["'](?:https?:)?//[^"']*?([\w.-]+\.(?:png|svg|gif))[^"']*["']""", re.I
)
_REMOTE_CSS_URL = re.compile(r"""url\(\s*["']?(?:https?:)?//[^)]*\)""", re.I)


def make_offline(site: Path) -> int:
    """Rewrite the pages of the Data Docs site at ``site`` to use only local files;
    returns how many pages changed (pages already rewritten are left alone)."""
    _install_assets(site)
    changed = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _MARKER in text:
            continue
        page.write_text(_offline_page(text, _root_of(page, site), site), encoding="utf-8")
        changed += 1
    return changed


def remote_references(site: Path) -> list[str]:
    """Every reference left in the site that a browser would fetch from the network."""
    found = []
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (_REMOTE_LINK, _REMOTE_SCRIPT, _REMOTE_IMG_SRC, _REMOTE_CSS_URL):
            found += [
                f"{path.relative_to(site)}: {m.group(0)[:80]}" for m in pattern.finditer(text)
            ]
    return found


def _install_assets(site: Path) -> None:
    target = site / OFFLINE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for asset in resources.files("salesperf").joinpath("data_docs_offline").iterdir():
        if asset.name.endswith((".js", ".css")):
            (target / asset.name).write_bytes(asset.read_bytes())
    for css in (site / "static" / "styles").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        local = _REMOTE_CSS_URL.sub("none", text)
        if local != text:
            css.write_text(local, encoding="utf-8")


def _root_of(page: Path, site: Path) -> str:
    """The relative path from a page back to the site's root ('' or '../../')."""
    return "../" * (len(page.relative_to(site).parts) - 1)


def _offline_page(text: str, root: str, site: Path) -> str:
    text = _REMOTE_SCRIPT.sub("", _REMOTE_LINK.sub("", text))
    text = _REMOTE_CSS_URL.sub("none", text)  # inline <style> blocks

    def local_image(match: re.Match[str]) -> str:
        name = match.group(2)
        local = name if (site / "static" / "images" / name).exists() else "favicon.ico"
        return f'{match.group(1)}"{root}static/images/{local}"'

    text = _REMOTE_IMG_SRC.sub(local_image, text)
    ours = (
        f"{_MARKER}\n"
        f'<link rel="stylesheet" href="{root}{OFFLINE_DIR}/offline.css">\n'
        f'<script src="{root}{OFFLINE_DIR}/offline.js"></script>\n'
    )
    return text.replace("</head>", ours + "</head>", 1)
