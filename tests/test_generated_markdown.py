"""Property: any Markdown an editor can write, within the toolkit's conventions, converts to the
editions (from the site's rendering of it) without an unhandled exception, and typesets."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from guidelines.checks import RULES
from guidelines.content import Content, parse_page
from guidelines.editions.chapters import ChapterContext, edition_chapter
from guidelines.editions.document import EditionSource
from guidelines.editions.pdf import build_pdf
from guidelines.findings import has_errors
from guidelines.project import Language, Project, load_project
from guidelines.rendering import render

FIXTURE_CONFIG = Path(__file__).parent / "fixtures" / "project" / "mkdocs.yml"


@cache
def fixture_settings() -> Project:
    return load_project(FIXTURE_CONFIG.parent)


# Words with the letters of all three languages, and the characters Markdown, pandoc and Typst treat
# specially (*, _, #, $, @, <, [, \, `, ", ', …) so that escaping is exercised.
WORD = st.text(
    alphabet=st.sampled_from(list("abcžščūņļķģēīāąęėįųABCĀŠ0123456789*_#$@<>[]\\`\"'=+-~%&|/:;!?().,")),
    min_size=1,
    max_size=12,
)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
BOX_KINDS = st.sampled_from(["note", "tip", "warning", "compare", "example"])


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["para", "heading", "list", "box", "table", "footnote", "link"]))
    text = draw(SENTENCE).replace("\n", " ")
    if kind == "heading":
        # a heading needs a word (HEADING_EMPTY stops the build otherwise)
        return f"## Part {text.strip('#')} {{#h-{draw(st.integers(0, 10**6))}}}"
    if kind == "list":
        return "\n".join(f"- {draw(SENTENCE)}" for _ in range(draw(st.integers(1, 4))))
    if kind == "box":
        return f'!!! {draw(BOX_KINDS)} "{text.replace(chr(34), "")}"\n\n    {draw(SENTENCE)}'
    if kind == "table":
        return f"| A | B |\n|---|---|\n| {text.replace('|', '/')} | {draw(SENTENCE).replace('|', '/')} |"
    if kind == "footnote":
        return f"{text}[^1]\n\n[^1]: {draw(SENTENCE)}"
    if kind == "link":
        return (
            f"{text} [{draw(SENTENCE).replace(']', '')}](02-other.md) [{text.replace(']', '') or 'x'}](#top)"
        )
    return text


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: see conftest.py
@given(st.lists(block(), min_size=1, max_size=8), SENTENCE)
# Inputs that once stopped the PDF: ".A" after emphasis or a `#raw` call read as a Typst field
# access; a code span's brackets inside an image's alt text hid the image from the link rules.
@pytest.mark.slow
@example(blocks=["*0 *.A"], title="0")
@example(blocks=["` `` `.A"], title="0")
@example(blocks=["![` [ [`](02-other.md) [![` [](#top)"], title="0")
@example(blocks=["#"], title="0")  # an empty heading, which PDF/UA refuses: the checks must catch it
@example(blocks=['!!! note "0"\n\n    #'], title="0")  # even inside a box
@example(blocks=["0[^1]\n\n[^1]: / 0"], title="0")  # "/ x" opening a footnote read as a Typst term
@example(blocks=["::: [0](02-other.md) [:::](#top)"], title="0")  # links on a line that starts with :::
@example(blocks=["` [` ![](02-other.md) [`](#top)"], title="0")  # a bracket inside a code span
@example(blocks=["0 [/ 0](02-other.md) [0](#top)"], title="0")  # "/ x" opening a link's text
@example(blocks=["&#1;"], title="0")  # a character no font has: the checks must catch it
@example(blocks=["0[^1]\n\n[^1]: x\n\n    # y"], title="0")  # a chapter heading inside a footnote
@example(blocks=["\\` [0](02-other.md) [\\`](#top)"], title="0")  # an escaped backtick opens no code span
@example(blocks=["[ \\]` [0](02-other.md) [[ \\`](#top)"], title="0")  # read differently by pandoc
def test_generated_pages_convert_and_typeset(tmp_path_factory, blocks, title):
    root = tmp_path_factory.mktemp("generated")
    body = "## Top {#top}\n\n" + "\n\n".join(blocks) + "\n"
    text = f"---\ntitle: {json.dumps('Chapter ' + title)}\n---\n\n{body}"
    site = fixture_settings()  # the site's Markdown configuration: the one reading of the page
    project = Project(
        root,
        FIXTURE_CONFIG,
        root / "docs",
        root / "site",
        "https://example.org/",
        "Site",
        (Language("lv", "Latviešu", "LV", "Site", True),),
        (),
        "1",
        markdown_extensions=site.markdown_extensions,
        markdown_configs=site.markdown_configs,
    )

    def read(name: str, text: str):
        page, _ = parse_page("lv", name, root / "docs/lv" / name, text, f"docs/lv/{name}", site_reading)
        return page

    def site_reading(body: str) -> str:
        return render(project, body)

    page = read("01-page.md", text)
    other = read("02-other.md", '---\ntitle: "Cits"\n---\n\nX.\n')
    findings = [f for rule in RULES for f in rule(Content(project, {"lv": [page, other]}))]
    assume(not has_errors(findings))  # the build refuses such pages before any conversion
    context = ChapterContext(
        "lv",
        {"01-page.md", "02-other.md"},
        lambda name, anchor: "https://example.org/",
        lambda page, src: src,
        lambda page: "",
    )
    html = "\n".join(edition_chapter(p, p.html, context) for p in (page, other))
    metadata = {
        "title": "T",
        "lang": "lv-LV",
        "region": "LV",
        "version": "1",
        "date": "2026-01-01",
        "toc-title": "Saturs",
        "edition-label": "Izdevums",
    }
    source = EditionSource("lv", html, metadata, (), Path(root), 0)
    build_pdf(source, root / "out.pdf")
    assert (root / "out.pdf").read_bytes().startswith(b"%PDF-")
