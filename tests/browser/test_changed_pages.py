"""The pages a pull request changed, in a real browser, on the site its own build made: no axe rule
broken, every link inside the site answers, and the language switcher leads to the same page in every
language.

By default it looks at pages of the built fixture. The pull-request workflow points it at the pull
request's preview build and the pages `guidelines review --format addresses` lists:

    GUIDELINES_SITE_DIR=site GUIDELINES_PAGES="lv/02-premises/" pytest tests/browser/test_changed_pages.py

The site is served at the path of its own address (its home page's canonical link), as the host will.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from axe_playwright_python.sync_playwright import Axe
from lxml import html as lxml_html

from guidelines.static_server import serving

from .pages import hrefs, switcher_targets

# By default one page of the built fixture, in a language of its own prefix: test_reader_site.py holds
# every page of that site to every axe rule; here the check itself is shown to work.
PAGES = os.environ.get("GUIDELINES_PAGES", "").split() or ["lv/01-first-steps/"]


@pytest.fixture(scope="module")
def site(request):
    """The address the site under test is served at (its site_url's path, on 127.0.0.1)."""
    folder = os.environ.get("GUIDELINES_SITE_DIR")
    if folder:
        home = lxml_html.fromstring((Path(folder) / "index.html").read_bytes())
        (address,) = home.xpath('//link[@rel="canonical"]/@href')
        with serving(Path(folder), address) as url:
            yield url
    else:
        with serving(
            request.getfixturevalue("built_fixture") / "site", "https://example.org/guidelines/"
        ) as url:
            yield url


@pytest.mark.parametrize("path", PAGES)
def test_the_page_breaks_no_accessibility_rule(page, site, path):
    assert page.goto(site + path).status == 200
    page.wait_for_load_state("networkidle")
    axe = Axe()
    page.evaluate(axe.axe_script)
    rules = page.evaluate("() => axe.getRules().map(rule => rule.ruleId)")
    results = page.evaluate(
        "rules => axe.run({runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']})", rules
    )
    violations = results["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("path", PAGES)
def test_every_link_inside_the_site_answers(page, site, path):
    page.goto(site + path)
    links = hrefs(page, "a[href]")
    inside = sorted({urldefrag(link).url for link in links if link.startswith(site)})
    assert inside
    broken = [link for link in inside if page.request.get(link).status != 200]
    assert broken == []


@pytest.mark.parametrize("path", PAGES)
def test_the_language_switcher_leads_to_the_same_page_in_every_language(page, site, path):
    page.goto(site + path)
    choices = switcher_targets(page)
    assert len(choices) >= 2
    segments = path.strip("/").split("/")
    name = "/".join(segments[1:] if segments[0] in choices else segments)  # the page, whatever the language
    for language, address in choices.items():
        assert page.goto(address).status == 200, address
        assert page.locator("html").get_attribute("lang") == language
        assert address.rstrip("/").endswith(name), (address, path)
