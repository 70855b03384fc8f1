"""A real browser (Debian's Chromium, driven by Playwright) against the built fixture site on localhost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from guidelines.static_server import serving

# Debian's Chromium here; on GitHub's Ubuntu runners, where the chromium package is a snap stub, the
# Google Chrome the runner image provides. GUIDELINES_BROWSER names another.
CHROMIUM = (
    os.environ.get("GUIDELINES_BROWSER")
    or shutil.which("chromium")
    or shutil.which("google-chrome")
    or "/usr/bin/chromium"
)
# Without the background-networking flags Chromium calls Google's hosts at start; this machine has no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def site_url(built_fixture: Path):
    """The fixture's site/ served over HTTP on a free port of 127.0.0.1, under /guidelines/ (the path
    of its site_url), as the static host serves it."""
    with serving(built_fixture / "site", "https://example.org/guidelines/") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "No browser: run `make test` (it installs Debian's chromium), or name one in GUIDELINES_BROWSER"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
