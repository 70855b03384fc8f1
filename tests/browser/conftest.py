"""A real browser (Debian's Chromium, driven by Playwright) against the built fixture site on localhost."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
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


@pytest.fixture(scope="session")
def context(browser):
    """The browser context every test's page opens in. A new context costs about a second of CPU
    here; a new page in a context that keeps a page open, a third of that. Its reader prefers reduced
    motion: the theme's transitions (the search box opening, for one) are not what the tests look at,
    and painting them cost Chromium a sixth of its CPU over 48 page loads."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.new_page()  # kept open, blank, for the whole run
    yield context
    context.close()


@pytest.fixture(scope="session")
def tabs(context) -> Iterator[list]:
    """The run's one tab for the tests' pages, kept in a list: a test that closed or crashed it leaves
    the next test a new one."""
    tabs = [context.new_page()]
    yield tabs
    tabs[0].close()


@pytest.fixture
def page(tabs):
    """The run's one tab, for this test: navigating a tab cost Chromium less than half of what opening
    a new one did (0.17 against 0.40 CPU-s a page here). After the test it is on a blank page again,
    in the screen's media, with the data its sites stored and the cookies cleared."""
    if tabs[0].is_closed() or not _answers(tabs[0]):
        tabs[0] = tabs[0].context.new_page()
    yield tabs[0]
    if not tabs[0].is_closed():
        with contextlib.suppress(PlaywrightError):
            tabs[0].emulate_media(media="null")
            clear_stored_data(tabs[0])
            tabs[0].goto("about:blank")


def _answers(tab) -> bool:
    try:
        return tab.evaluate("() => true")
    except PlaywrightError:  # crashed
        return False


@contextlib.contextmanager
def listening(page, listeners: dict[str, Callable]) -> Iterator[None]:
    """`listeners` (event -> listener) on the page for the length of the block."""
    for event, listener in listeners.items():
        page.on(event, listener)
    try:
        yield
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)


def first_visit(context):
    """A new page that reads nothing from the browser's cache, as on a reader's first visit: every
    file it needs is requested."""
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return page


def forget(page) -> None:
    """Close the page, with the data its site stored in the browser and the context's cookies."""
    clear_stored_data(page)
    page.close()


def clear_stored_data(page) -> None:
    """The data the page's site stored in the browser, and the context's cookies."""
    with contextlib.suppress(PlaywrightError):  # a page on an error page or a closed server
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear() }")
    page.context.clear_cookies()


@dataclass
class Visit:
    page: object  # Playwright's Page, on the visited address
    response: object  # the answer to the address
    requests: list[str]  # every request of this visit, in order
    console: list[str]  # every console message of this visit
    errors: list[str]  # every uncaught script error of this visit


class FirstVisits:
    """Pages visited once each, as on a reader's first visit (nothing from the cache, no data stored
    by an earlier visit), in one tab: `visits(address)` is what `read` found on that visit, with its
    requests, console messages and script errors alone, for every test that asks. Opening a new tab
    for each visit cost Chromium twice the CPU of navigating one."""

    def __init__(self, context, read: Callable[[Visit], object]):
        self.page = first_visit(context)
        self.read = read
        self.found: dict[str, object] = {}

    def __call__(self, address: str):
        if address not in self.found:
            with self._visit(address) as visit:
                self.found[address] = self.read(visit)
        return self.found[address]

    @contextlib.contextmanager
    def _visit(self, address: str) -> Iterator[Visit]:
        visit = Visit(self.page, None, [], [], [])
        listeners = {
            "request": lambda request: visit.requests.append(request.url),
            "console": lambda message: visit.console.append(message.text),
            "pageerror": lambda error: visit.errors.append(str(error)),
        }
        try:
            with listening(self.page, listeners):
                visit.response = self.page.goto(address)
                yield visit
        finally:
            clear_stored_data(self.page)

    def close(self) -> None:
        forget(self.page)
