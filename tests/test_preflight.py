"""Page-perfect editions: the preflight looks at every typeset page, and the editions pass it.

The layout is broken on purpose (a 200-row table, a 15-column form, a three-page box, a heading
followed by a page-long table, a 60-entry glossary) and must still pass; a deliberately broken
template must be caught, naming the language, the page and the heading.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import copy_fixture, docx_as_pdf, edition_file
from pypdf import PdfReader

import guidelines.editions.pdf as pdf_module
from guidelines.build import build
from guidelines.content import load_or_fail
from guidelines.editions import TEMPLATES
from guidelines.editions.document import build_source, edition_metadata
from guidelines.editions.epub import declare_conformance
from guidelines.editions.epubcheck import check_epubs
from guidelines.editions.pdf import build_pdf
from guidelines.editions.preflight import (
    TYPE_AREA,
    Heading,
    Page,
    Word,
    box_title_at_page_foot,
    box_titles,
    check_pdf,
    cut_table_rows,
    heading_at_page_foot,
    outside_type_area,
    overprints,
    source_words,
)
from guidelines.findings import Severity
from guidelines.progress import Progress
from guidelines.project import load_project
from guidelines.versions import DEV

LANGUAGES = ("en", "lv", "lt")


def errors(findings):
    return [finding for finding in findings if finding.severity is Severity.ERROR]


# The real editions of the fixture ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fixture_pdfs_pass_the_preflight(built_fixture, language):
    content, _ = load_or_fail(load_project(built_fixture))
    source = build_source(content, language)
    path = edition_file(built_fixture / "site", language, "pdf")
    assert errors(check_pdf(path, language, source_words(source))) == []


@pytest.fixture(scope="module")
def epubcheck_of_the_fixture(built_fixture) -> dict[Path, list]:
    """EPUBCheck's findings on the fixture's three EPUBs, in one run."""
    return check_epubs([edition_file(built_fixture / "site", language, "epub") for language in LANGUAGES])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fixture_epubs_pass_epubcheck_with_accessibility_metadata(
    built_fixture, epubcheck_of_the_fixture, language
):
    path = edition_file(built_fixture / "site", language, "epub")
    assert epubcheck_of_the_fixture[path] == []
    with zipfile.ZipFile(path) as epub:
        package = epub.read("EPUB/content.opf").decode()
    for claim in (
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "dcterms:conformsTo",
    ):
        assert f'property="{claim}"' in package
    assert "<dc:description></dc:description>" not in package


def broken_epub(built_fixture: Path, folder: Path) -> Path:
    """The fixture's English EPUB with an empty description, which the EPUB specification forbids."""
    broken = folder / "broken.epub"
    shutil.copyfile(edition_file(built_fixture / "site", "en", "epub"), broken)
    with zipfile.ZipFile(broken) as epub:
        entries = [(info, epub.read(info.filename)) for info in epub.infolist()]
    with zipfile.ZipFile(broken, "w") as epub:
        for info, data in entries:
            if info.filename == "EPUB/content.opf":
                data = data.replace(b"<dc:language>", b"<dc:description></dc:description><dc:language>")
            epub.writestr(info, data, compress_type=info.compress_type)
    return broken


def test_epubcheck_names_what_is_wrong_in_a_broken_epub_and_only_in_it(built_fixture, tmp_path):
    good = edition_file(built_fixture / "site", "lv", "epub")
    broken = broken_epub(built_fixture, tmp_path)
    findings = check_epubs([broken, good])  # one run for both: each gets its own findings
    assert findings[good] == []
    assert findings[broken] and all(finding.code == "EPUBCHECK" for finding in findings[broken])
    assert any(
        "RSC-005" in finding.message and "content.opf" in finding.message for finding in findings[broken]
    )


def test_a_build_checks_the_epubs_it_made_and_only_those(cached_project):
    page = cached_project / "docs" / "lv" / "02-premises.md"  # the Latvian editions are made again
    page.write_text(page.read_text(encoding="utf-8") + "\nVēl viens teikums.\n", encoding="utf-8")
    progress = Progress()
    build(load_project(cached_project), progress=progress)
    assert "EPUBCheck: 1 EPUB" in progress.timings  # the English and Lithuanian ones were reused


def test_an_epub_that_fails_epubcheck_fails_the_build_at_its_edition(built_fixture, tmp_path):
    from guidelines.editions.build import EditionTask, _check_epubs

    content, _ = load_or_fail(load_project(built_fixture))
    tasks = [
        EditionTask(
            build_source(content, "lv"), "epub", edition_file(built_fixture / "site", "lv", "epub"), ""
        ),
        EditionTask(build_source(content, "en"), "epub", broken_epub(built_fixture, tmp_path), ""),
    ]
    outcomes = {0: [], 1: []}  # both made, their own preflight clean
    _check_epubs(content, tasks, outcomes, Progress())
    assert outcomes[0] == []
    assert errors(outcomes[1]) and {finding.code for finding in outcomes[1]} == {"EPUBCHECK"}


def test_the_conformance_claim_keeps_the_mimetype_first_and_stored(built_fixture, tmp_path):
    copy = tmp_path / "copy.epub"
    shutil.copyfile(edition_file(built_fixture / "site", "lv", "epub"), copy)
    declare_conformance(copy)
    with zipfile.ZipFile(copy) as epub:
        first = epub.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdfs_are_compressed_with_object_streams_and_keep_their_tags(built_fixture, language):
    path = edition_file(built_fixture / "site", language, "pdf")
    assert b"/ObjStm" in path.read_bytes()
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_metadata() as metadata:
            assert metadata.get("pdfuaid:part") == "1"


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_latvian_pdf_is_hyphenated_yet_its_letters_carry_no_soft_hyphens(built_fixture):
    # A drawn hyphen is marked as U+00AD (search joins the two halves); a letter never carries one.
    marks = []
    with pikepdf.open(edition_file(built_fixture / "site", "lv", "pdf")) as pdf:
        for page in pdf.pages:
            for stream in page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]:
                marks += re.findall(rb"/ActualText<FEFF((?:[0-9A-F]{4})+)>", stream.read_bytes())
    assert b"00AD" in marks, "the Latvian text should still hyphenate at line ends"
    assert [mark for mark in marks if b"00AD" in mark and mark != b"00AD"] == []


@pytest.mark.slow  # typesets three PDFs
def test_quotation_marks_follow_each_language(fixture_project, tmp_path):
    # The text writes straight quotes; each edition prints its language's own. Only the PDFs are
    # made, by the build's own steps (the edition's source, then Typst).
    quoted = {"en": "Premises shape", "lv": "Telpas nosaka", "lt": "Patalpos lemia"}
    for language, start in quoted.items():
        page = fixture_project / f"docs/{language}/02-premises.md"
        text = page.read_text(encoding="utf-8")
        assert start in text
        page.write_text(text.replace(start, f'"Sarkanā skola". {start}', 1), encoding="utf-8")
    content, _ = load_or_fail(load_project(fixture_project))
    printed = {
        language: pdftotext(build_pdf(build_source(content, language), tmp_path / f"{language}.pdf"))
        for language in quoted
    }
    assert "„Sarkanā skola“" in printed["lv"]
    assert "„Sarkanā skola“" in printed["lt"]
    assert "“Sarkanā skola”" in printed["en"]


def test_an_unreleased_build_is_called_a_working_draft_in_its_language(fixture_project):
    project = load_project(fixture_project)
    from dataclasses import replace

    content, _ = load_or_fail(replace(project, version=DEV))
    assert edition_metadata(content, "lv")["draft-label"].startswith("Darba versija")
    assert edition_metadata(content, "lt")["draft-label"].startswith("Darbinė versija")
    released, _ = load_or_fail(project)
    assert edition_metadata(released, "en")["draft-label"] == ""


def test_docx_opens_in_libreoffice_with_its_contents_filled_and_its_figure_shown(built_fixture, tmp_path):
    source = edition_file(built_fixture / "site", "lv", "docx")
    reader = PdfReader(docx_as_pdf(source, tmp_path))
    pages = [page.extract_text() for page in reader.pages]
    contents = next(page for page in pages if "Saturs" in page)
    # The contents list the chapters and their sections before any chapter starts.
    assert "Pirmie soļi" in contents and "Telpas" in contents
    assert sum(len(page.images) for page in reader.pages) >= 1


# Geometry on made-up pages ---------------------------------------------------------------------

LEFT, TOP, RIGHT, BOTTOM = TYPE_AREA


def line(text: str, y: float, number: int, x: float = LEFT) -> list[Word]:
    words, cursor = [], x
    for piece in text.split():
        width = 5.5 * len(piece)
        words.append(Word(piece, cursor, y, cursor + width, y + 12, number))
        cursor += width + 3
    return words


def page_of(*lines: list[Word]) -> Page:
    return Page(1, [word for words in lines for word in words], list(lines))


def test_two_lines_printed_over_each_other_are_an_overprint():
    page = page_of(line("first row of the glossary", 700, 0), line("second row drawn on top", 702, 1))
    assert overprints(page)
    assert not overprints(page_of(line("first row", 700, 0), line("second row", 714, 1)))


def test_text_below_the_type_area_is_caught_but_the_page_number_is_not():
    number = [Word("12", 290, BOTTOM + 20, 300, BOTTOM + 30, 1)]
    assert outside_type_area(page_of(line("the last line", BOTTOM - 14, 0), number)) == []
    assert outside_type_area(page_of(line("a row run over the foot", BOTTOM + 10, 0), number))
    assert outside_type_area(page_of(line("a cell too wide for the page", 300, 0, x=RIGHT - 40)))


def test_a_heading_with_nothing_after_it_on_its_page_is_caught():
    heading = Heading("F.3.1 Legal basis", 1, 740, 3)
    text = line("The section before ends here.", 720, 0)
    alone = page_of(text, line("F.3.1 Legal basis", 740, 1))
    followed = page_of(
        text, line("F.3.1 Legal basis", 700, 1), line("The roadmap rests on these acts.", 740, 2)
    )
    assert heading_at_page_foot(alone, heading)
    assert not heading_at_page_foot(followed, Heading("F.3.1 Legal basis", 1, 700, 3))


def test_a_box_title_with_its_box_on_the_next_page_is_caught():
    titles = {"Checkthecurrentact"}
    text = line("The section before ends here.", 720, 0)
    alone = page_of(text, line("Check the", 740, 1), line("current act", 754, 2))
    assert box_title_at_page_foot(alone, titles) == "Check the current act"
    followed = page_of(line("Check the current act", 700, 0), line("Building regulations change.", 714, 1))
    assert box_title_at_page_foot(followed, titles) is None
    # The same words ending a paragraph are no box title.
    assert box_title_at_page_foot(page_of(line("so always check the current act", 740, 0)), titles) is None


# Layout broken on purpose ----------------------------------------------------------------------


def stress_chapter() -> str:
    long_rows = "\n".join(
        f"| {n} | Item number {n}, described in a few plain words | {n * 125:,} |" for n in range(1, 201)
    )
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    wide_head = "| Activity | " + " | ".join(months) + " | Owner | Notes |"
    wide_rule = "|" + "---|" * 15
    wide_rows = "\n".join("|" + " |" * 15 for _ in range(8))
    box = "\n\n".join(
        "    " + " ".join(["A centre keeps its promises to the people who use it, week after week."] * 8)
        for _ in range(14)
    )
    point = "Point {n} of the plan is written out at length so that its cell runs to many lines."
    tall_rows = "\n".join(f"| Row {n} | " + " ".join([point.format(n=n)] * 6) + " |" for n in range(1, 31))
    page_table = "\n".join(
        f"| Step {n} | Ask the residents, write down what they say, compare it with step {n} of the plan. |"
        for n in range(1, 46)
    )
    return f"""---
title: "Layout under stress"
---

Links whose text starts with a number: [1. The first steps](01-first-steps.md) and
[2021. gada pārskats](https://example.org/2021).

## A long table {{#long-table}}

| No. | Item | Amount |
|---|---|---|
{long_rows}

## A planning form {{#planning-form}}

{wide_head}
{wide_rule}
{wide_rows}

## A long box {{#long-box}}

!!! note "A note that runs over three pages"

{box}

## A table of tall rows {{#tall-rows}}

| Row | What the plan says |
|---|---|
{tall_rows}

## A heading before a page-long table {{#heading-then-table}}

| Step | What to do |
|---|---|
{page_table}
"""


@pytest.fixture(scope="module")
def stress_project(tmp_path_factory) -> Path:
    """The fixture with a chapter that strains the layout and a 60-entry glossary."""
    root = copy_fixture(tmp_path_factory.mktemp("stress"))
    (root / "docs" / "en" / "03-stress.md").write_text(stress_chapter(), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - 02-premises.md\n", "  - 02-premises.md\n  - 03-stress.md\n"
        ),
        encoding="utf-8",
    )
    glossary_path = root / "docs" / "glossary.yml"
    glossary = yaml.safe_load(glossary_path.read_text(encoding="utf-8"))
    template = glossary["terms"][0]
    for n in range(60 - len(glossary["terms"])):
        term = {key: value for key, value in template.items()}
        term["id"] = f"term-{n}"
        for language in LANGUAGES:
            term[language] = f"{template[language]} {n}"
        glossary["terms"].append(term)
    glossary_path.write_text(yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def stress_pdf(project_root: Path, output: Path):
    content, _ = load_or_fail(load_project(project_root))
    source = build_source(content, "en")
    return build_pdf(source, output), source


def test_a_layout_under_stress_passes_the_preflight(stress_project, tmp_path):
    path, source = stress_pdf(stress_project, tmp_path / "stress.pdf")
    assert errors(check_pdf(path, "en", source_words(source), source.headings, box_titles(source))) == []
    assert cut_table_rows(path) == []  # the tall rows each move on whole
    pages = pdftotext(path).split("\f")
    # The 200-row table runs over several pages, its header row repeated on each.
    assert sum(1 for page in pages if re.search(r"No\.\s+Item\s+Amount", page)) >= 4
    assert any("Item number 200," in page for page in pages)
    # Sixty glossary terms, every one of them printed.
    text = re.sub(r"\s+", " ", re.sub("\u00ad\n", "", pdftotext(path, "-raw")))
    assert all(f"multifunctional centre {n} " in text for n in range(58))


def test_link_texts_starting_with_a_number_stay_link_texts_not_list_items(stress_project):
    content, _ = load_or_fail(load_project(stress_project))
    typst_text = pdf_module.typst_source(build_source(content, "en"))
    # "1. " where Typst content starts is a numbered list item; "1\. " is the text "1. ".
    assert re.search(r"#link\([^)]*\)\[1\\\. The first steps\]", typst_text)
    assert re.search(r"#link\([^)]*\)\[2021\\\. gada pārskats\]", typst_text)
    assert not re.search(r"\[\d+\. ", typst_text)


def test_a_template_that_lets_tables_overflow_is_caught_naming_page_and_heading(
    stress_project, tmp_path, monkeypatch
):
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    template = broken / "guidelines.typ"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace("$body$", "#show figure: set block(breakable: false)\n$body$"), encoding="utf-8"
    )
    monkeypatch.setattr(pdf_module, "TEMPLATES", broken)
    path, source = stress_pdf(stress_project, tmp_path / "broken.pdf")
    found = errors(check_pdf(path, "en", source_words(source)))
    assert found
    assert {finding.code for finding in found} & {"PDF_OVERPRINT", "PDF_OUTSIDE_TYPE_AREA"}
    assert any(re.search(r"en PDF page \d+, under “[^”]+”", finding.message) for finding in found)


def test_a_template_that_lets_a_page_break_cut_table_rows_is_caught_at_the_tables_heading(
    stress_project, tmp_path, monkeypatch
):
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    template = broken / "guidelines.typ"
    text = template.read_text(encoding="utf-8")
    assert "#set table.cell(breakable: false)" in text
    template.write_text(text.replace("#set table.cell(breakable: false)", ""), encoding="utf-8")
    monkeypatch.setattr(pdf_module, "TEMPLATES", broken)
    path, source = stress_pdf(stress_project, tmp_path / "cut.pdf")
    found = errors(check_pdf(path, "en", source_words(source), source.headings, box_titles(source)))
    cut = [finding for finding in found if finding.code == "PDF_TABLE_ROW_CUT"]
    assert cut
    # Named where the text is written: the heading above the table, as path:line.
    chapter = (stress_project / "docs/en/03-stress.md").read_text(encoding="utf-8").splitlines()
    for finding in cut:
        assert finding.path == "docs/en/03-stress.md"
        assert chapter[finding.line - 1].startswith("## ")
        assert "runs on to page" in finding.message


def test_a_pdf_whose_soft_hyphens_stay_in_the_text_fails_the_search_check(
    built_fixture, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf_module, "SOFT_HYPHEN_LETTER", re.compile(rb"(?!)()"))
    monkeypatch.setattr(pdf_module, "ACTUAL_TEXT", re.compile(rb"(?!)()"))
    content, _ = load_or_fail(load_project(built_fixture))
    source = build_source(content, "lv")
    path = build_pdf(source, tmp_path / "lv.pdf")
    codes = {finding.code for finding in errors(check_pdf(path, "lv", source_words(source)))}
    assert codes == {"PDF_SOFT_HYPHEN_IN_WORDS"}
