"""Forms on their own: every page marked `form: true` is published per language as a DOCX to fill in
on screen and an A4 PDF to print and fill in by hand, and offered on its page and the download page.

The fixture's form is `annex-b-visit-checklist.md` (in the three languages): a list of ☐ items, a table
whose rows are labelled and left empty to fill in, and a numbered table with a ☐ column.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import lxml.html
import pikepdf
import pytest
from conftest import docx_as_pdf

from guidelines.build import build
from guidelines.content import load_content, split_front_matter
from guidelines.editions.forms import form_sources
from guidelines.editions.preflight import check_edition, read_headings
from guidelines.findings import Severity
from guidelines.progress import Progress
from guidelines.project import load_project

LANGUAGES = ("en", "lv", "lt")
TAGS = {"en": "en-GB", "lv": "lv-LV", "lt": "lt-LT"}
FORM = "annex-b-visit-checklist.md"
# What each language's form says: its title, its section headings, the labels of the rows to fill in.
TITLES = {
    "en": "Annex B — Visit checklist",
    "lv": "B pielikums — Apmeklējuma kontrolsaraksts",
    "lt": "B priedas — Apsilankymo kontrolinis sąrašas",
}
SECTIONS = {
    "en": ["Before the visit", "Visit record", "Actions"],
    "lv": ["Pirms apmeklējuma", "Apmeklējuma pieraksts", "Darbības"],
    "lt": ["Prieš apsilankymą", "Apsilankymo įrašas", "Veiksmai"],
}
ROW_LABELS = {
    "en": ["Entrance", "Accessible", "Parking"],
    "lv": ["Ieeja", "Piekļūstama", "Stāvvieta"],
    "lt": ["Įėjimas", "Prieinamas", "Stovėjimo"],
}
PANEL = {
    "en": "Download this form to fill in",
    "lv": "Lejupielādēt šo veidlapu aizpildīšanai",
    "lt": "Atsisiųsti šią formą pildymui",
}
EDITION = {"en": "Edition 0.9", "lv": "Izdevums 0.9", "lt": "Leidimas 0.9"}
GUIDELINES = {
    "en": "Fixture guidelines for multifunctional centres",
    "lv": "Testa vadlīnijas daudzfunkcionālajiem centriem",
}
MM = 72 / 25.4
BALLOTS_IN_FORM = 5  # two list items and three table cells


def manifest(site: Path) -> list[dict]:
    return json.loads((site / "downloads" / "manifest.json").read_text(encoding="utf-8"))


def form_file(site: Path, language: str, extension: str) -> Path:
    (entry,) = [
        entry
        for entry in manifest(site)
        if entry["form"] == FORM and entry["language"] == language and entry["format"] == extension
    ]
    return site / "downloads" / entry["file"]


def test_every_marked_page_is_published_as_a_docx_and_a_pdf_in_every_language(built_fixture):
    content, _ = load_content(load_project(built_fixture))
    entries = manifest(built_fixture / "site")
    for language in LANGUAGES:
        marked = [page.name for page in content.form_pages(language)]
        assert marked == [FORM]
        for name in marked:
            files = {e["format"]: e for e in entries if e["form"] == name and e["language"] == language}
            assert sorted(files) == ["docx", "pdf"]
            for entry in files.values():
                path = built_fixture / "site" / "downloads" / entry["file"]
                assert path.stat().st_size == entry["size"] > 0
                assert language in entry["file"] and "annex-b-visit-checklist" in entry["file"]
                assert entry["title"] == TITLES[language]
    # the glossary annex is not marked: no file of its own
    assert not [e for e in entries if e["form"] and e["form"] != FORM]
    sums = (built_fixture / "site" / "downloads" / "SHA256SUMS").read_text()
    assert all(f"  {e['file']}\n" in sums for e in entries if e["form"])


@pytest.mark.parametrize("value", ['"true"', "1", "[yes]"])
def test_the_form_key_is_true_or_false(value):
    text = f'---\ntitle: "Annex B"\nform: {value}\n---\n\nText.\n'
    front_matter, _, _, findings = split_front_matter(text, "docs/en/annex-b.md")
    (finding,) = findings
    assert (finding.path, finding.line, finding.code, finding.severity) == (
        "docs/en/annex-b.md",
        3,
        "FRONT_MATTER",
        Severity.ERROR,
    )
    assert "form" not in front_matter  # an unreadable mark publishes nothing


def test_a_form_can_be_switched_off():
    front_matter, _, _, findings = split_front_matter('---\ntitle: "A"\nform: false\n---\n', "a.md")
    assert findings == [] and front_matter["form"] is False


# PDF ----------------------------------------------------------------------------------------------


def words_with_boxes(path: Path) -> list[tuple[str, float, float, float, float, int]]:
    """(text, x0, y0, x1, y1, page) of every word, as pdftotext -bbox measures them (PDF points)."""
    output = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    namespace = "{http://www.w3.org/1999/xhtml}"
    found = []
    for number, page in enumerate(ElementTree.fromstring(output).iter(f"{namespace}page"), start=1):
        for word in page.iter(f"{namespace}word"):
            box = [float(word.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")]
            found.append((word.text or "", *box, number))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_has_the_forms_headings_its_language_and_tags(built_fixture, language):
    path = form_file(built_fixture / "site", language, "pdf")
    headings = [heading.title for heading in read_headings(path)]
    assert headings[0] == TITLES[language]
    assert [re.sub(r"^B\.\d ", "", title) for title in headings[1:]] == SECTIONS[language]
    assert all(title.startswith("B.") for title in headings[1:])  # numbered as in the edition
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == TAGS[language]
        assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        assert str(pdf.docinfo.Title) == TITLES[language]
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]  # A4
    header = " ".join(text for text, _, y0, _, _, page in words_with_boxes(path) if page == 1 and y0 < 60)
    assert EDITION[language] in header
    if language in GUIDELINES:
        assert GUIDELINES[language] in header


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdfs_rows_to_fill_in_are_at_least_8_mm_high(built_fixture, language):
    words = words_with_boxes(form_file(built_fixture / "site", language, "pdf"))
    top = {text: y0 for text, _, y0, *_ in reversed(words)}  # a word's first place in reading order
    # the labelled rows of the visit record, then the numbered rows: each row's top to the next row's
    for labels in (ROW_LABELS[language], ["1", "2", "3"]):
        rows = [top[label] for label in labels]
        assert all(lower - upper >= 8 * MM for upper, lower in itertools.pairwise(rows))


def test_the_pdfs_columns_to_fill_in_have_room_for_handwriting(built_fixture):
    words = words_with_boxes(form_file(built_fixture / "site", "en", "pdf"))
    x = {text: x0 for text, x0, *_ in words if text in {"Item", "Yes", "Notes"}}
    right_edge = (210 - 24) * MM  # the type area's right edge
    assert x["Notes"] - x["Yes"] >= 30 * MM  # the Yes / No column
    assert right_edge - x["Notes"] >= 30 * MM  # the Notes column


def test_the_form_pdfs_pass_the_page_preflight(built_fixture):
    content, _ = load_content(load_project(built_fixture))
    for language in LANGUAGES:
        (source,) = form_sources(content, language)
        findings = check_edition(source, "pdf", form_file(built_fixture / "site", language, "pdf"))
        assert [f for f in findings if f.severity is Severity.ERROR] == []


# DOCX ---------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def docx_part(path: Path, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read(name))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_docx_has_tables_to_write_in_and_checkboxes_to_tick(built_fixture, language):
    path = form_file(built_fixture / "site", language, "docx")
    document = docx_part(path, "word/document.xml")
    tables = list(document.iter(f"{W}tbl"))
    assert len(tables) == 2
    for table in tables:
        assert table.find(f"{W}tblPr/{W}tblBorders/{W}insideH").get(f"{W}val") == "single"
        for row in table.findall(f"{W}tr")[1:]:  # every body row has a cell to fill in
            height = row.find(f"{W}trPr/{W}trHeight")
            assert int(height.get(f"{W}val")) >= round(8 / 25.4 * 1440)
            assert height.get(f"{W}hRule") == "atLeast"
    boxes = list(document.iter(f"{W14}checkbox"))
    assert len(boxes) == BALLOTS_IN_FORM
    assert all(box.find(f"{W14}checked").get(f"{W14}val") == "0" for box in boxes)
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    assert "\u2610" in text and all(section in text for section in SECTIONS[language])
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if re.match(r"word/(header|footer)", name)]
        margins = "".join(archive.read(name).decode() for name in names)
    assert EDITION[language] in margins and 'instr="PAGE"' in margins and 'instr="NUMPAGES"' in margins
    if language in GUIDELINES:
        assert GUIDELINES[language] in margins


def test_libreoffice_opens_the_docx_with_its_tables_and_checkboxes(built_fixture, tmp_path):
    source = form_file(built_fixture / "site", "lv", "docx")
    converted = docx_as_pdf(source, tmp_path)
    text = subprocess.run(["pdftotext", str(converted), "-"], capture_output=True, check=True).stdout.decode()
    assert TITLES["lv"] in text and all(section in text for section in SECTIONS["lv"])
    assert text.count("\u2610") == BALLOTS_IN_FORM
    assert "Izdevums 0.9" in text and re.search(r"^1 ?/ ?1$", text, re.MULTILINE)  # header and footer
    # LibreOffice's own reading: real tables, and checkboxes it lets the reader tick
    office = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    assert office.returncode == 0, office.stderr
    with zipfile.ZipFile(tmp_path / source.with_suffix(".odt").name) as odt:
        content = odt.read("content.xml").decode()
    assert content.count("<table:table ") == 2
    assert content.count('loext:checkbox="true"') == BALLOTS_IN_FORM


# Site ---------------------------------------------------------------------------------------------


def page_of(site: Path, language: str, path: str):
    prefix = "" if language == "en" else f"{language}/"
    return lxml.html.parse(str(site / prefix / path / "index.html")).getroot()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_forms_page_offers_its_two_files_in_the_readers_language(built_fixture, language):
    site = built_fixture / "site"
    page = page_of(site, language, "annex-b-visit-checklist")
    (panel,) = page.xpath('//div[@class="form-downloads"]')
    assert panel.text_content().startswith(PANEL[language] + ":")
    links = {link.text: link for link in panel.iter("a")}
    assert sorted(links) == ["DOCX", "PDF"]
    for extension, link in links.items():
        expected = form_file(site, language, extension.lower())
        target = site / ("" if language == "en" else language) / "annex-b-visit-checklist" / link.get("href")
        assert target.resolve() == expected.resolve() and link.get("hreflang") == language
        assert re.search(rf"{extension}</a> \(\d+ KB\)", lxml.html.tostring(panel, encoding="unicode"))
    # a page that is not a form has no panel
    assert not page_of(site, language, "annex-a-glossary").xpath('//div[@class="form-downloads"]')


def test_the_download_page_lists_the_forms_per_language_under_the_editions(built_fixture):
    site = built_fixture / "site"
    page = page_of(site, "lv", "download")
    tables = page.xpath('//table[contains(concat(" ", @class, " "), " downloads ")]')
    assert "forms" not in tables[0].get("class")  # the editions first
    forms = tables[1:]
    assert [table.find("caption").text for table in forms] == ["Latviski", "Angliski", "Lietuviski"]
    for table, language in zip(forms, ("lv", "en", "lt"), strict=True):
        (row,) = table.xpath("./tbody/tr")
        assert row[0].text == TITLES[language]
        names = [Path(link.get("href")).name for link in row.iter("a")]
        assert names == [form_file(site, language, extension).name for extension in ("docx", "pdf")]


# Cache --------------------------------------------------------------------------------------------


def test_forms_are_reused_until_their_page_changes(built_project):
    progress = Progress()
    build(load_project(built_project), progress=progress)
    assert any(step.startswith("editions: 0 built, 15 reused") for step in progress.timings)
    page = built_project / "docs" / "lv" / FORM
    page.write_text(page.read_text(encoding="utf-8").replace("uz vietas", "uz vietas pats"), encoding="utf-8")
    progress = Progress()
    build(load_project(built_project), progress=progress)
    # the Latvian edition (PDF, DOCX, EPUB) and the Latvian form (PDF, DOCX); the rest reused
    assert any(step.startswith("editions: 5 built, 10 reused") for step in progress.timings)
