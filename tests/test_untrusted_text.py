"""Nothing a contributor writes runs in a reader's browser: the text is untrusted input.

Each case is what a hostile pull request tried, and each was built, checked and run in Chromium before
these rules. Every page's HTML is compared with an allowlist of safe HTML (guidelines.sanitise), so each
is refused at its file and line, saying what was found and how to write it safely."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidelines.build import build
from guidelines.checks import run_checks
from guidelines.content import load_content
from guidelines.csp import HEAD_CHUNK, inline_scripts, with_policy
from guidelines.findings import FindingsError
from guidelines.project import load_project
from guidelines.sanitise import html_problems
from guidelines.site import build_site

PAGE = "docs/lv/01-first-steps.md"


def messages_after_adding(root: Path, text: str) -> tuple[int, list[str]]:
    """The page's first added line, and every message of the checks once `text` ends the page."""
    path = root / PAGE
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    content, findings = load_content(load_project(root))
    return before.count("\n") + 2, [finding.format() for finding in findings + run_checks(content)]


# text a contributor adds → (the line it is on, counted from the first added line; the message)
UNSAFE_TEXT = {
    "an event handler in an attribute list": (
        'Teksts.\n{: onclick="alert(1)" style="position:fixed;inset:0"}',
        1,
        'HTML_UNSAFE the event attribute onclick="alert(1)" on <p>',
    ),
    "a style in an attribute list": (
        'Teksts.\n{: style="position:fixed;inset:0"}',
        1,
        'HTML_UNSAFE the attribute style="position:fixed;inset:0" on <p>, which is not in the allowlist',
    ),
    "an event handler in a heading's attributes": (
        '## Virsraksts {#heading onmouseover="alert(1)"}',
        0,
        'HTML_UNSAFE the event attribute onmouseover="alert(1)" on <h2>',
    ),
    "a javascript: reference definition": (
        "Skatīt [r].\n\n[r]: javascript:alert(1)",
        2,
        'HTML_UNSAFE the address href="javascript:alert(1)" on <a>',
    ),
    "a decimal entity in javascript:": (
        "[x](&#106;avascript:alert(1))",
        0,
        'HTML_UNSAFE the address href="javascript:alert(1)" on <a>',
    ),
    "a hexadecimal entity in javascript:": (
        "[x](jav&#x61;script:alert(1))",
        0,
        'HTML_UNSAFE the address href="javascript:alert(1)" on <a>',
    ),
    "a tab inside javascript:": (
        "[x](java&#9;script:alert(1))",
        0,
        'HTML_UNSAFE the address href="java\\tscript:alert(1)" on <a>',
    ),
    "javascript: in angle brackets": (
        "[x](<javascript:alert(1)>)",
        0,
        'HTML_UNSAFE the address href="javascript:alert(1)" on <a>',
    ),
    "a tag split over two lines": (
        '<img src="images/plan.svg" alt="Plāns"\nonerror="alert(1)">',
        1,
        'HTML_UNSAFE the event attribute onerror="alert(1)" on <img>',
    ),
    "an SVG animation of an address, written into the page": (
        '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
        0,
        "HTML_UNSAFE the HTML element <svg>, which is not in the allowlist of safe HTML",
    ),
    "a script element": ("<script>alert(1)</script>", 0, "HTML_UNSAFE the HTML element <script>"),
    "a class the site's style does not know": (
        "Teksts.\n{: .md-button}",
        1,
        'HTML_UNSAFE the class class="md-button" on <p>',
    ),
    "an id that shadows one of Material's": (
        "## Virsraksts {#__config}",
        0,
        'HTML_UNSAFE the id id="__config" on <h2>',
    ),
    "a picture from a web address": (
        "![Plāns](https://example.org/plan.png)",
        0,
        "IMAGE_REMOTE the picture 'https://example.org/plan.png' is loaded from a web address",
    ),
}


@pytest.mark.parametrize("case", sorted(UNSAFE_TEXT))
def test_unsafe_text_is_refused_at_its_line_with_a_hint(fixture_project, case):
    text, offset, expected = UNSAFE_TEXT[case]
    first_line, messages = messages_after_adding(fixture_project, text)
    found = [
        message for message in messages if message.startswith(f"{PAGE}:{first_line + offset}: {expected}")
    ]
    assert found, messages
    assert all("(hint: " in message for message in found)


def test_the_attributes_the_guidelines_use_are_allowed(fixture_project):
    text = (
        '## Virsraksts {#heading lang="lt"}\n\n'
        'Teksts.\n{: #paragraph lang="en"}\n\n'
        '<img src="images/plan.svg" alt="Plāns" width="300" height="200">\n\n'
        "| A | B |\n|:--|--:|\n| 1 | 2 |\n\n"
        "[Likums](https://likumi.lv/ta/id/68488) un [e-pasts](mailto:info@example.org)."
    )
    _, messages = messages_after_adding(fixture_project, text)
    assert [message for message in messages if "HTML_UNSAFE" in message] == []


def test_a_javascript_link_in_the_glossary_is_refused_at_its_line(fixture_project):
    glossary = fixture_project / "docs/glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    old = '"Short-term care that gives family carers a break."'
    glossary.write_text(text.replace(old, '"See [the act](javascript:alert(1))."'), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    content, _ = load_content(load_project(fixture_project))
    messages = [finding.format() for finding in run_checks(content)]
    assert messages == [
        f'docs/glossary.yml:{line}: HTML_UNSAFE the address href="javascript:alert(1)" on <a>: only http:, '
        "https:, mailto: and the guidelines' own pages and files may be linked (hint: link to a web page "
        "with its full address, [text](https://example.org/page), or to a chapter with its file name, "
        "[text](06-planning-a-centre.md))"
    ]


def test_the_allowlist_compares_parsed_html_not_its_spelling():
    same_html_written_otherwise = "<p><a title='a &amp; b' href=x.md>x &lt; y</a><br/></p>"
    assert html_problems(same_html_written_otherwise) == []
    assert [problem.what for problem in html_problems("<p lang='lv' onclick=\"go()\">x</p>")] == [
        'the event attribute onclick="go()" on <p>, which would run script in readers\' browsers'
    ]


def test_the_site_refuses_what_passed_the_checks_at_the_pages_line(fixture_project, tmp_path):
    """The plugin checks each page's final HTML itself: a problem there fails the site build as a
    finding at the page's line, never a traceback, even if the checks were not run."""
    first_line, _ = messages_after_adding(fixture_project, 'Teksts.\n{: onclick="alert(1)"}')
    with pytest.raises(FindingsError) as failure:
        build_site(load_project(fixture_project), tmp_path / "site", None)
    assert [finding.format() for finding in failure.value.findings] == [
        f'{PAGE}:{first_line + 1}: HTML_UNSAFE the event attribute onclick="alert(1)" on <p>, which would '
        "run script in readers' browsers (hint: remove it: a page cannot run script)"
    ]


class _Elements(HTMLParser):
    """The text of each <title> and <script>, and the attributes of each <meta>, of a built page."""

    def __init__(self):
        super().__init__()
        self.titles: list[str] = []
        self.scripts: list[str] = []
        self.metas: list[dict] = []
        self.nav_links: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.metas.append(dict(attrs))
        if tag in ("title", "script"):
            self._in = tag
            (self.titles if tag == "title" else self.scripts).append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.titles[-1] += data
        elif self._in == "script":
            self.scripts[-1] += data


def elements(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_front_matter_is_text_in_the_title_navigation_description_and_editions(cached_project):
    page = cached_project / "docs/en/02-premises.md"
    title = "Premises</title><script>alert(1)</script>"
    description = 'x"><script>alert(2)</script>'
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            'title: "Premises"', f"title: \"{title}\"\ndescription: '{description}'"
        ),
        encoding="utf-8",
    )
    home = cached_project / "docs/en/index.md"  # its title is the editions' title
    home.write_text(
        re.sub(r'^title: ".*"$', f'title: "{title}"', home.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    build(load_project(cached_project))  # the English editions made again, the others reused
    site = cached_project / "site"
    (epub,) = (site / "downloads").glob("*-en-0.9-*.epub")  # the edition, not the form's files
    title_page = zipfile.ZipFile(epub).read("EPUB/text/title_page.xhtml").decode("utf-8")
    assert f'<h1 class="title">{html.escape(title, quote=False)}</h1>' in title_page
    (pdf,) = (site / "downloads").glob("*-en-0.9-*.pdf")
    assert "".join(PdfReader(pdf).pages[0].extract_text().split()).startswith("".join(title.split()))
    built = elements(site / "02-premises/index.html")
    assert built.titles == [f"{title} - Fixture guidelines"]
    assert {"name": "description", "content": description} in built.metas
    for shown in (built, elements(site / "index.html"), elements(site / "translation-status/index.html")):
        assert not [script for script in shown.scripts if "alert" in script]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Premises&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in home  # the navigation


# The page is read a chunk at a time until its <meta charset>: here at the start, across the first
# chunk's edge, and chunks later.
@pytest.mark.parametrize("preamble", [0, HEAD_CHUNK - 45, 3 * HEAD_CHUNK])
def test_the_policy_follows_the_character_set_and_allows_only_the_templates_scripts(preamble):
    charset = '<meta charset="utf-8">'
    page = (
        f"<!doctype html><!--{'x' * preamble}--><html><head>{charset}<script>var theme = 1;</script>"
        "</head><body><article><p>Text</p><script>steal()</script></article></body></html>"
    )
    content = "<p>Text</p><script>steal()</script>"  # what the page's text made
    result = with_policy(page, untrusted=content)
    meta = result.index('<meta http-equiv="Content-Security-Policy"')
    assert result[:meta] == page[: page.index(charset) + len(charset)] + "\n"
    (policy,) = re.findall(r'content="([^"]*)"', result[meta:].split(">", 1)[0])

    def digest(script: str) -> str:
        return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    assert f"'sha256-{digest('var theme = 1;')}'" in policy
    assert digest("steal()") not in policy


def test_a_scripts_hash_is_taken_of_its_text_as_the_browser_reads_it():
    """A script's text is raw: no entity is decoded, a tag or a comparison inside it is text, and only
    `</script` ends it, in any case. Data (JSON) and a script from a file are not inline scripts."""
    page = (
        '<html><head><meta charset="utf-8"><script src="a.js"></script>'
        '<script type="application/json">{"a": 1}</script></head><body><p>Text</p>'
        '<script>if (a < b && "</div>" != "&amp;") go()</script>'
        '<script type="module">import "./x.js"</SCRIPT ></body></html>'
    )
    assert inline_scripts(page) == ['if (a < b && "</div>" != "&amp;") go()', 'import "./x.js"']
