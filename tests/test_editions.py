"""Editions fit to publish: EPUB structure, reproducible bytes."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest
from conftest import FIXTURE_EPOCH, docx_as_pdf, edition_file
from pypdf import PdfReader

from guidelines.build import build
from guidelines.editions.fonts import SHOWN_RANGES, is_known_shown, missing_glyphs, typesets
from guidelines.editions.pdf import unlink_missing_labels
from guidelines.project import load_project

TAGS = {"en": "en-GB", "lv": "lv-LV", "lt": "lt-LT"}
EDITION = {"en": "Edition", "lv": "Izdevums", "lt": "Leidimas"}


@pytest.mark.parametrize("language", TAGS)
def test_epub_has_language_navigation_and_alt_text(built_fixture, language):
    path = edition_file(built_fixture / "site", language, "epub")
    with zipfile.ZipFile(path) as epub:
        names = epub.namelist()
        assert names[0] == "mimetype" and epub.read("mimetype") == b"application/epub+zip"
        opf = epub.read(next(n for n in names if n.endswith(".opf"))).decode()
        assert f"<dc:language>{TAGS[language]}</dc:language>" in opf
        assert 'version="3.0"' in opf
        assert any(n.endswith("nav.xhtml") for n in names)
        title_page = epub.read(next(n for n in names if n.endswith("title_page.xhtml"))).decode()
        assert re.search(rf"{EDITION[language]} 0\.9 · \d{{4}}-\d\d-\d\d", title_page)
        pages = "".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
    images = re.findall(r"<img [^>]*>", pages)
    assert images and all(re.search(r'alt="[^"]{10,}"', image) for image in images)


def test_two_builds_of_the_same_text_are_byte_identical(built_fixture, fixture_project, monkeypatch):
    # The run's build of the fixture, and a second one made afresh (no cache), in another folder.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    build(load_project(fixture_project), use_cache=False)
    first = {path.name: path.read_bytes() for path in (built_fixture / "site" / "downloads").iterdir()}
    second = {path.name: path.read_bytes() for path in (fixture_project / "site" / "downloads").iterdir()}
    # nine editions, the fixture's form as a PDF and a DOCX in three languages, manifest and sums
    assert first.keys() == second.keys() and len(first) == 17
    assert len([name for name in first if "-annex-b-visit-checklist-" in name]) == 6
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds"


def test_no_absolute_path_of_the_machine_ends_up_in_an_edition(built_fixture):
    needle = str(built_fixture).encode()
    for path in (built_fixture / "site" / "downloads").iterdir():
        data = path.read_bytes()
        if path.suffix in {".docx", ".epub"}:
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        assert needle not in data, path.name


def pdf_of(built_fixture, language: str) -> pikepdf.Pdf:
    return pikepdf.open(edition_file(built_fixture / "site", language, "pdf"))


def figures(node, found: list) -> list:
    """The /Alt of every Figure element in the PDF's structure tree."""
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        children = node.get("/K")
        for child in children if isinstance(children, pikepdf.Array) else [children]:
            figures(child, found)
    return found


@pytest.mark.parametrize("language", TAGS)
def test_pdf_is_tagged_pdf_ua_with_language_title_and_alt_text(built_fixture, language):
    pdf = pdf_of(built_fixture, language)
    assert "/StructTreeRoot" in pdf.Root
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == TAGS[language]
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as metadata:
        assert metadata.get("pdfuaid:part") == "1"
        assert metadata.get("dc:title") == str(pdf.docinfo.Title) != ""
    alts = figures(pdf.Root.StructTreeRoot, [])
    assert alts and all(len(alt) > 10 and "\u00ad" not in alt for alt in alts)


def test_pdf_bookmarks_list_every_chapter_and_section_with_annex_letters(built_fixture):
    with pdf_of(built_fixture, "lt").open_outline() as outline:
        titles = [(item.title, [child.title for child in item.children]) for item in outline.root]
    assert titles == [
        ("1 Pirmųjų žingsnių planas", ["1.1 Gyventojų apklausa", "1.2 Atsakymų skaičiavimas"]),
        ("2 Patalpos", ["2.1 Pastato pasirinkimas"]),
        ("A priedas — Žodynėlis", []),
        (
            "B priedas — Apsilankymo kontrolinis sąrašas",
            ["B.1 Prieš apsilankymą", "B.2 Apsilankymo įrašas", "B.3 Veiksmai"],
        ),
    ]


def test_pdf_fonts_are_embedded_and_none_comes_from_the_system(built_fixture):
    pdf = pdf_of(built_fixture, "lv")
    fonts = {}
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0] if descendant else font).FontDescriptor
            fonts[str(font.BaseFont).split("+")[-1]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values())
    assert all(name.startswith(("LibertinusSerif", "DejaVuSansMono", "NewCM")) for name in fonts)


def test_docx_tables_repeat_their_header_row_and_images_have_alt_text(built_fixture):
    with zipfile.ZipFile(edition_file(built_fixture / "site", "lv", "docx")) as archive:
        body = archive.read("word/document.xml").decode()
    assert re.search(r'<w:tblHeader w:val="on"\s*/>', body)
    assert 'descr="Stāva plāns ar uzbrauktuvi pie ieejas un pielāgotu tualeti"' in body


def test_docx_opens_and_converts_cleanly_in_libreoffice(built_fixture, tmp_path):
    source = edition_file(built_fixture / "site", "lt", "docx")
    converted = docx_as_pdf(source, tmp_path)
    text = "\n".join(page.extract_text() for page in PdfReader(converted).pages)
    assert "Pirmųjų žingsnių planas" in text and "Turinys" in text


def test_the_blocks_taken_as_shown_are_all_in_the_pdf_fonts():
    # missing_glyphs asks Typst only about characters outside these blocks: were a font to change,
    # this says which block is no longer whole.
    for first, last in SHOWN_RANGES:
        characters = [chr(code) for code in range(first, last + 1) if is_known_shown(chr(code))]
        assert typesets(characters), f"U+{first:04X}..U+{last:04X}"


def test_characters_the_fonts_lack_are_found_one_by_one():
    assert missing_glyphs({"ā", "ų", "€", "→", "😀", "\x01", "\u2041"}) == {"😀", "\x01", "\u2041"}


def test_a_link_to_an_anchor_the_edition_lacks_becomes_text_not_a_failed_pdf():
    typst_text = '== Premises <ch-02>\nSee #link(<ch-02>)[Premises], #link(<top>)[the top] and #link("https://x.org")[x].'
    assert unlink_missing_labels(typst_text) == (
        '== Premises <ch-02>\nSee #link(<ch-02>)[Premises], #[the top] and #link("https://x.org")[x].'
    )


FUNDING = {
    "en": "Project TEST-1 was co-financed by the European Union",
    "lv": "Projektu TEST-1 līdzfinansēja Eiropas Savienība",
    "lt": "Projektą TEST-1 bendrai finansavo Europos Sąjunga",
}
PROGRAMME = {
    "en": "Fixture programme of 2020",
    "lv": "Testa programma 2020. gadam",
    "lt": "Bandomoji 2020 m. programa",
}


def words(text: str) -> str:
    """Text with its line breaks and hyphenation undone, for finding a sentence a layout wrapped."""
    return " ".join(text.replace("\u00ad", "").replace("-\n", "").split())


@pytest.mark.parametrize("language", TAGS)
def test_every_title_page_carries_the_home_pages_programme_and_funding_statement(built_fixture, language):
    site = built_fixture / "site"
    first_page = words(PdfReader(edition_file(site, language, "pdf")).pages[0].extract_text())
    assert FUNDING[language] in first_page and PROGRAMME[language] in first_page

    with zipfile.ZipFile(edition_file(site, language, "docx")) as docx:
        document = docx.read("word/document.xml").decode()
    title_part = words(re.sub(r"<[^>]+>", " ", document.split("<w:sdt>")[0]))  # before the table of contents
    assert FUNDING[language] in title_part and PROGRAMME[language] in title_part

    with zipfile.ZipFile(edition_file(site, language, "epub")) as epub:
        title_page = epub.read(next(n for n in epub.namelist() if n.endswith("title_page.xhtml"))).decode()
    assert FUNDING[language] in title_page and PROGRAMME[language] in title_page


def test_a_docx_styled_by_a_shared_reference_is_the_docx_made_with_its_own(
    fixture_project, monkeypatch, tmp_path
):
    """A build makes the reference documents once and hands them to every DOCX: the files are the
    same bytes as when each DOCX made its own, and a DOCX given one makes none."""
    import guidelines.editions.docx as docx
    import guidelines.editions.forms as forms
    from guidelines.content import load_content
    from guidelines.editions.document import build_source

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content, _ = load_content(load_project(fixture_project))
    edition = build_source(content, "lv")
    (form,) = forms.form_sources(content, "lv")
    own_edition = docx.build_docx(edition, tmp_path / "own.docx").read_bytes()
    own_form = forms.build_form_docx(form, tmp_path / "own-form.docx").read_bytes()
    reference = docx.build_reference_doc(tmp_path / "reference.docx")
    form_reference = forms.form_reference_doc(tmp_path / "reference-form-lv.docx", form, reference)

    def no_second_reference(output):
        raise AssertionError("a DOCX given a reference document made one")

    monkeypatch.setattr(docx, "build_reference_doc", no_second_reference)
    monkeypatch.setattr(forms, "build_reference_doc", no_second_reference)
    assert docx.build_docx(edition, tmp_path / "shared.docx", reference).read_bytes() == own_edition
    shared_form = forms.build_form_docx(form, tmp_path / "shared-form.docx", form_reference)
    assert shared_form.read_bytes() == own_form


def test_a_build_makes_the_reference_docx_once_and_gives_it_to_every_docx(fixture_project, monkeypatch):
    import guidelines.editions.build as editions

    made, given = [], []
    real_reference = editions.build_reference_doc

    def counted(output):
        made.append(output)
        return real_reference(output)

    class Stopped(Exception):
        """Where the workers would start typesetting: what they would get is all this test reads."""

    def recorded(jobs, *args, **options):
        for job in jobs:
            source, fmt, _, reference = job.args
            if fmt == "docx":
                assert reference.is_file()  # there while the workers run
                given.append((source.language, bool(source.form), reference))
        raise Stopped

    monkeypatch.setattr(editions, "build_reference_doc", counted)
    monkeypatch.setattr(editions, "run_jobs", recorded)
    with pytest.raises(Stopped):
        build(load_project(fixture_project), use_cache=False)

    (reference,) = made  # once, in the build's staging folder (removed with it)
    assert reference.relative_to(fixture_project).parts[0].startswith(".site-")
    assert len(given) == 6  # three languages' edition and form
    assert {ref for _, form, ref in given if not form} == {reference}
    by_language = {language: ref for language, form, ref in given if form}
    assert len(set(by_language.values())) == 3 and reference not in by_language.values()
    assert not list(fixture_project.glob(".site-*"))
