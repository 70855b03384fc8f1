"""What a reader gets, in Chromium: switcher, downloads, search, privacy, accessibility, 404, print."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import FirstVisits, first_visit, forget
from .pages import hrefs, switcher_targets

LANGUAGES = {"en": "", "lv": "lv/", "lt": "lt/"}
PAGES = [
    "",
    "01-first-steps/",
    "02-premises/",
    "annex-a-glossary/",
    "annex-b-visit-checklist/",  # a form: its page offers the form's DOCX and PDF
    "download/",
    "changes/",
    "translation-status/",
]

# query typed by a reader → page that must be among the results (forms not in the text, no diacritics)
SEARCHES = [
    ("en", "buildings", "02-premises/"),
    ("en", "survey", "01-first-steps/"),
    ("lv", "aptauju", "01-first-steps/"),  # the text has "aptauja", "aptaujas"
    ("lv", "ekas", "02-premises/"),  # "Ēkas", typed without diacritics
    ("lv", "skolas", "02-premises/"),  # "skola"
    ("lt", "apklausu", "01-first-steps/"),  # "apklausa", "apklausos"
    ("lt", "pastatams", "02-premises/"),  # "pastato", "pastatas"
    ("lt", "mokyklos", "02-premises/"),  # "mokykla"
]


def every_page():
    return [(language, path) for language in LANGUAGES for path in PAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_download_link_returns_the_file(first_load, context, site_url, language):
    links = first_load(site_url + LANGUAGES[language]).downloads
    assert len(links) == 9
    # the first bytes of each format: a PDF header, a zip, a zip whose first entry is the EPUB mimetype
    magic = {
        ".pdf": (0, b"%PDF-"),
        ".docx": (0, b"PK\x03\x04"),
        ".epub": (30, b"mimetypeapplication/epub+zip"),
    }
    types = {
        ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats",
        ".epub": "application/epub+zip",
    }
    for link in links:
        response = context.request.get(link)
        suffix = "." + link.rsplit(".", 1)[1]
        assert response.status == 200, link
        assert response.headers["content-type"].startswith(types[suffix])
        offset, expected = magic[suffix]
        assert response.body()[offset : offset + len(expected)] == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_form_link_returns_the_file(first_load, context, site_url, language):
    """The forms' links on the download page (every language's) and on the form's own page."""
    listed = first_load(site_url + LANGUAGES[language] + "download/").forms
    offered = first_load(site_url + LANGUAGES[language] + "annex-b-visit-checklist/").form_downloads
    assert len(listed) == 6 and len(offered) == 2 and set(offered) <= set(listed)
    for link in listed:
        response = context.request.get(link)
        assert response.status == 200, link
        expected = b"%PDF-" if link.endswith(".pdf") else b"PK\x03\x04"
        assert response.body().startswith(expected), link


@pytest.mark.parametrize(("language", "query", "expected"), SEARCHES)
def test_search_typed_into_the_box_finds_pages_of_the_readers_language(
    page, site_url, language, query, expected
):
    page.goto(site_url + LANGUAGES[language])
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    found = hrefs(page, ".md-search-result__item > a")
    assert any(href.split("#")[0] == site_url + LANGUAGES[language] + expected for href in found), found
    for href in found:
        rest = href.removeprefix(site_url)
        assert (
            (rest.split("/", 1)[0] == language)
            if LANGUAGES[language]
            else rest.split("/", 1)[0] not in {"lv", "lt"}
        )


def settled_results(page, site_url, language, query):
    """The pages the search box lists once the reader has typed `query` and the list stops changing."""
    page.goto(site_url + LANGUAGES[language])
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    found, previous = None, []
    for _ in range(20):
        page.wait_for_timeout(250)
        found = hrefs(page, ".md-search-result__item > a")
        if found == previous:
            break
        previous = found
    pages = []
    for href in found:
        path = href.split("#")[0].removeprefix(site_url + LANGUAGES[language])
        if path not in pages:
            pages.append(path)
    return pages


def test_a_word_finds_its_stem_not_every_word_that_begins_with_the_same_letters(page, site_url):
    """Lithuanian "pandusams" (to ramps) finds the ramp in the chapter on premises, and not the
    first steps, which name the town Pandėlys three times ("pand…" is what the two share)."""
    assert settled_results(page, site_url, "lt", "pandusams") == ["02-premises/"]


def test_only_the_word_still_being_typed_matches_as_a_beginning(page, site_url):
    """While the reader types "pand", it may be "Pandėlys" as well as "pandusas": both pages, the ramp
    (a whole stem) first. Once a word is followed by another, it matches whole stems only."""
    assert settled_results(page, site_url, "lt", "pand") == ["02-premises/", "01-first-steps/"]
    assert settled_results(page, site_url, "lt", "pand mokyklos") == ["02-premises/"]


@dataclass
class FirstLoad:
    """A page as a reader first opens it: the answer and where it ended, its language and where its
    language switcher leads, every request until the network is quiet, what axe-core finds under
    every rule it has, then, once the reader has clicked into the search box (the search worker and
    the index loader start), every request and every Content-Security-Policy complaint so far."""

    status: int
    url: str
    lang: str
    switcher: dict[str, str]  # language -> where a click on it in the switcher goes
    downloads: list[str]  # the links of its table of editions
    forms: list[str]  # the links of its table of forms
    form_downloads: list[str]  # a form's page: the links to its files
    requests_before_search: list[str]
    requests: list[str]
    rules: list[str]
    violations: list[dict]
    policies: list[str]
    policy_complaints: list[str]


def read_first_load(visit) -> FirstLoad:
    page = visit.page
    page.wait_for_load_state("networkidle")
    before_search = list(visit.requests)
    switcher = switcher_targets(page)
    axe = Axe()
    page.evaluate(axe.axe_script)
    rules = page.evaluate("() => axe.getRules().map(rule => rule.ruleId)")
    results = page.evaluate(
        "rules => axe.run({runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']})", rules
    )
    page.locator("input.md-search__input").click()
    page.wait_for_load_state("networkidle")
    return FirstLoad(
        status=visit.response.status,
        url=page.url,
        lang=page.locator("html").get_attribute("lang"),
        switcher=switcher,
        downloads=hrefs(page, "table.downloads a"),
        forms=hrefs(page, "table.forms a"),
        form_downloads=hrefs(page, ".form-downloads a"),
        requests_before_search=before_search,
        requests=list(visit.requests),
        rules=rules,
        violations=results["violations"],
        policies=page.locator('meta[http-equiv="Content-Security-Policy"]').evaluate_all(
            "metas => metas.map(meta => meta.content)"
        ),
        policy_complaints=[text for text in visit.console if "Content Security" in text],
    )


@pytest.fixture(scope="module")
def first_load(context):
    """Each page opened once, as on a first visit, for the tests that look at the same first load: a
    page load costs Chromium about half a second of CPU here, and each page is looked at by several."""
    visits = FirstVisits(context, read_first_load)
    yield visits
    visits.close()


@pytest.mark.parametrize(("language", "path"), every_page())
def test_switcher_keeps_the_same_chapter(first_load, site_url, language, path):
    switcher = first_load(site_url + LANGUAGES[language] + path).switcher
    assert switcher == {other: site_url + prefix + path for other, prefix in LANGUAGES.items()}
    for other, target in switcher.items():
        opened = first_load(target)  # each target is a page of this list: opened once for all
        assert (opened.status, opened.url, opened.lang) == (200, target, other)


@pytest.mark.parametrize(("language", "path"), every_page())
def test_pages_request_nothing_from_any_other_host(first_load, site_url, language, path):
    requests = first_load(site_url + LANGUAGES[language] + path).requests
    hosts = {urlparse(url).hostname for url in requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, requests


@pytest.mark.parametrize(("language", "path"), [*every_page(), *((lang, "404.html") for lang in LANGUAGES)])
def test_every_page_has_a_policy_and_the_browser_reports_no_violation(first_load, site_url, language, path):
    """The Content-Security-Policy (tests/browser/test_content_security_policy.py shows what it
    stops) lets the site's own scripts run: search, its worker, the index loader, the switchers."""
    loaded = first_load(site_url + LANGUAGES[language] + path)
    (policy,) = loaded.policies
    assert "script-src 'self' 'sha256-" in policy and "object-src 'none'" in policy
    assert loaded.policy_complaints == []


@pytest.mark.parametrize(("language", "path"), [*every_page(), *((lang, "404.html") for lang in LANGUAGES)])
def test_no_accessibility_violations_under_every_axe_rule(first_load, site_url, language, path):
    """Every rule axe-core has, not only its WCAG A/AA tags: best practices, AAA (enhanced contrast)
    and the experimental rules, which axe leaves off unless asked."""
    loaded = first_load(site_url + LANGUAGES[language] + path)
    assert {"aria-dialog-name", "empty-table-header", "color-contrast-enhanced"} <= set(loaded.rules)
    violations = loaded.violations
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page_shows_the_not_found_page_in_the_readers_language(page, site_url, language):
    response = page.goto(site_url + LANGUAGES[language] + "no-such-chapter/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    title = {"en": "404 — Page not found", "lv": "404 — Lapa nav atrasta", "lt": "404 — Puslapis nerastas"}
    assert page.locator("h1").first.text_content().strip() == title[language]
    page.locator(".md-content a").first.click()  # back to the home page of the same language
    assert page.url == site_url + LANGUAGES[language]


def test_printing_a_chapter_hides_navigation_and_shows_link_addresses(page, site_url):
    page.goto(site_url + "lv/02-premises/")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-content__button'].map("
        "s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none", "none"]  # the edit and view buttons too
    after = page.evaluate(
        "() => getComputedStyle(document.querySelector("
        "'.md-content a[href^=\"http\"]:not(.md-content__button)'), '::after').content"
    )
    assert "https://example.org/act" in after


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_visit_stays_under_100_kb_compressed_without_images(context, site_url, language):
    page = first_visit(context)
    sizes = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, response))
    page.goto(site_url + LANGUAGES[language] + "01-first-steps/")
    page.wait_for_load_state("networkidle")
    total = 0
    for response in sizes.values():
        if response.request.resource_type == "image" or response.status != 200:
            continue
        total += len(gzip.compress(response.body()))
    forget(page)
    assert total < 100_000, f"{total} bytes"


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_readers_language_index_is_downloaded_and_only_when_searching(
    first_load, site_url, language
):
    loaded = first_load(site_url + LANGUAGES[language] + "02-premises/")
    assert not [url for url in loaded.requests_before_search if "search_index.json" in url]
    assert [url for url in loaded.requests if "search_index.json" in url] == [
        site_url + LANGUAGES[language] + "search/search_index.json"
    ]
