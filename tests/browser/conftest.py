"""A real browser (Debian's Chromium, driven by Playwright) against the built fixture site on localhost."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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


PREFIX = "/guidelines"  # the path of the fixture's site_url, where the site is published


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ under /guidelines/, as the published site is; everything else is 404."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".epub": "application/epub+zip",
        ".pdf": "application/pdf",
    }

    def translate_path(self, path):
        if not path.startswith(PREFIX + "/"):
            return "/nonexistent"
        return super().translate_path(path[len(PREFIX) :])

    def send_error(self, code, message=None, explain=None):
        # Like a static host: the language's own 404 page for a missing page.
        if code == 404 and self.path.startswith(PREFIX + "/"):
            language = self.path[len(PREFIX) + 1 :].split("/", 1)[0]
            page = Path(self.directory) / (language if language in ("lv", "lt") else "") / "404.html"
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):  # the tests read responses, not the server's log
        pass


@pytest.fixture(scope="session")
def site_url(built_fixture: Path):
    """The fixture's site/ served over HTTP on a free port of 127.0.0.1, under /guidelines/."""
    handler = functools.partial(SiteHandler, directory=str(built_fixture / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make test`, which installs Debian's chromium package")
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
