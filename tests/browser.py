"""Headless Chromium for the tests that look at pages: the DOM after scripts ran, a
screenshot, and every network request a page made."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Chromium's own pings (updates, time, accounts) are not the page's requests
_BROWSER_SERVICES = ("google.com", "googleapis.com", "gvt1.com")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    return found


def render(page: Path, screenshot: Path, size: str) -> str:
    """The page's DOM after its scripts ran; fail on any console message (our pages log
    nothing, so any message is an error or a warning worth reading)."""
    browser = chromium()
    common = [*CHROMIUM_FLAGS, f"--window-size={size}", "--virtual-time-budget=5000"]
    dom = subprocess.run(
        [browser, *common, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    subprocess.run(
        [browser, *common, f"--screenshot={screenshot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert screenshot.stat().st_size > 10_000  # a picture, not a blank page
    return dom.stdout


def offline_render(page: Path, net_log: Path) -> tuple[str, list[str]]:
    """The DOM of `page` rendered with name resolution cut off, and the URLs of every
    network request the page attempted (from Chromium's own NetLog)."""
    dom = subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: every lookup fails
            f"--log-net-log={net_log}",
            "--window-size=1400,1000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    events = json.loads(net_log.read_text())["events"]
    urls = {e["params"]["url"] for e in events if "url" in e.get("params", {})}
    remote = [
        u
        for u in urls
        if u.startswith(("http:", "https:", "ws:", "wss:"))
        and not any(host in u.split("/")[2] for host in _BROWSER_SERVICES)
    ]
    return dom.stdout, sorted(remote)
