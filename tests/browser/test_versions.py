"""The published editions in Chromium: the version selector and the language switcher work together in
every language of every edition (mike + mkdocs-static-i18n break both unless the toolkit fixes them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from guidelines.deploy import export_published
from guidelines.project import load_project
from guidelines.static_server import serving

from .conftest import FirstVisits
from .pages import hrefs, switcher_targets

LANGUAGES = {"en": "", "lv": "lv/", "lt": "lt/"}
VERSIONS = ["1.0", "1.1", "dev"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHAPTER = "02-premises/"


@pytest.fixture(scope="module")
def published_url(released_repository: Path, tmp_path_factory: pytest.TempPathFactory):
    """The gh-pages branch served under /guidelines/, as GitHub Pages serves it."""
    folder = tmp_path_factory.mktemp("gh-pages")
    export_published(load_project(released_repository), folder)
    with serving(folder, "https://example.org/guidelines/") as url:
        yield url


def version_titles(page) -> list[str]:
    page.locator(".md-version__link").first.wait_for(state="attached", timeout=10_000)
    return page.locator(".md-version__link").evaluate_all("links => links.map(l => l.textContent.trim())")


@dataclass
class Opened:
    """A published page once its version selector has its editions and the network is quiet."""

    status: int
    url: str
    lang: str
    switcher: dict[str, str]  # language -> where a click on it in the language switcher goes
    editions: list[str]  # the version selector's entries
    current: str  # the edition the selector shows as the one being read
    errors: list[str]  # uncaught script errors


def read_opened(visit) -> Opened:
    page = visit.page
    editions = version_titles(page)  # the version selector has loaded versions.json
    page.wait_for_load_state("networkidle")
    return Opened(
        status=visit.response.status,
        url=page.url,
        lang=page.locator("html").get_attribute("lang"),
        switcher=switcher_targets(page),
        editions=editions,
        current=page.locator(".md-version__current").text_content().strip(),
        errors=list(visit.errors),
    )


@pytest.fixture(scope="module")
def opened(context):
    """Each published page opened once, as on a first visit, for the tests that look at the same load."""
    visits = FirstVisits(context, read_opened)
    yield visits
    visits.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_version_selector_lists_every_edition_in_every_language(opened, published_url, language):
    page = opened(published_url + "1.0/" + LANGUAGES[language] + CHAPTER)
    assert any(title.startswith("1.1") for title in page.editions)  # 1.1, marked "latest"
    assert "1.0" in page.editions and "dev (work in progress)" in page.editions
    assert page.current == "1.0"


# Each move once (to a newer edition, an older one, the work in progress), each in another language:
# what the selector's link keeps is the language's prefix, whichever the edition.
@pytest.mark.parametrize(
    ("start", "target", "language"), [("1.0", "1.1", "en"), ("1.1", "1.0", "lv"), ("1.1", "dev", "lt")]
)
def test_choosing_another_edition_keeps_the_page_and_the_language(
    page, published_url, language, start, target
):
    page.goto(published_url + start + "/" + LANGUAGES[language] + CHAPTER)
    version_titles(page)
    link = page.locator(".md-version__link").filter(has_text=target).first
    with page.expect_navigation():
        link.evaluate("a => a.click()")  # the list opens on hover; a reader's click lands on this link
    assert page.url == published_url + target + "/" + LANGUAGES[language] + CHAPTER
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["", CHAPTER])
def test_the_language_switcher_stays_in_the_edition(opened, published_url, version, language, path):
    switcher = opened(published_url + version + "/" + LANGUAGES[language] + path).switcher
    edition = published_url + version + "/"
    assert switcher == {other: edition + prefix + path for other, prefix in LANGUAGES.items()}
    for other, target in switcher.items():
        page = opened(target)  # each target is a page of this list: opened once for all
        assert (page.status, page.url, page.lang) == (200, target, other)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_older_edition_says_so_in_the_readers_language_and_links_the_current(
    page, published_url, language
):
    page.goto(published_url + "1.0/" + LANGUAGES[language] + CHAPTER)
    banner = page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible", timeout=10_000)
    expected = {
        "en": "You are reading edition 1.0",
        "lv": "Jūs lasāt izdevumu 1.0",
        "lt": "Skaitote 1.0 leidimą",
    }
    assert expected[language] in banner.text_content()
    with page.expect_navigation(url=published_url + "1.1/" + LANGUAGES[language]):
        banner.locator("a").click()


def test_the_current_edition_shows_no_such_banner(page, published_url):
    page.goto(published_url + "latest/lv/" + CHAPTER)
    page.wait_for_url(published_url + "1.1/lv/" + CHAPTER)
    version_titles(page)
    assert page.locator("[data-md-component=outdated]").is_hidden()


def test_the_site_root_opens_the_current_edition(page, published_url):
    page.goto(published_url)
    page.wait_for_url(published_url + "1.1/")
    current = page.locator(".md-version__current")
    current.wait_for(timeout=10_000)
    assert current.text_content().split() == ["1.1latest"] or current.text_content().split() == [
        "1.1",
        "latest",
    ]


@pytest.mark.parametrize(("language", "query"), [("lv", "skolas"), ("lt", "mokyklos"), ("en", "buildings")])
def test_search_in_an_edition_finds_that_editions_pages_in_the_readers_language(
    page, published_url, language, query
):
    base = published_url + "1.0/"
    page.goto(base + LANGUAGES[language])
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    found = [href.split("#")[0] for href in hrefs(page, ".md-search-result__item > a")]
    assert base + LANGUAGES[language] + CHAPTER in found
    assert all(href.startswith(base + LANGUAGES[language]) for href in found), found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["1.1/changes/", "1.0/" + CHAPTER])  # a word-level diff; the banner
def test_published_pages_have_no_accessibility_violations(page, published_url, language, path):
    version, rest = path.split("/", 1)
    page.goto(published_url + version + "/" + LANGUAGES[language] + rest)
    version_titles(page)
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page, options=WCAG).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_a_screen_reader_hears_which_words_were_added(page, published_url):
    page.goto(published_url + "1.1/changes/")
    inserted = page.locator("ins").first
    assert inserted.text_content().split() == ["[added:", "usually]"]  # what is read out
    for hidden in inserted.locator(".visually-hidden").all():  # what is seen: the word alone
        box = hidden.bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1


@pytest.mark.parametrize("version", VERSIONS)
def test_published_pages_run_without_a_script_error(opened, published_url, version):
    # Material's version check read the page's relative base as an address: "Failed to construct 'URL'"
    assert opened(f"{published_url}{version}/lv/{CHAPTER}").errors == []
