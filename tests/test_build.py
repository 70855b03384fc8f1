"""`guidelines build` on the fixture: a site per language and a PDF and DOCX per language."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import FIXTURE_EPOCH, copy_fixture, edition_file, site_snapshot
from mkdocs.structure.files import Files
from pypdf import PdfReader

from guidelines.findings import FindingsError
from guidelines.mkdocs_plugin.plugin import THEME_DIR
from guidelines.mkdocs_plugin.templates import list_theme_files_lightly
from guidelines.project import load_project
from guidelines.site import build_site, read_settings

LANGUAGES = {"en": "", "lv": "lv/", "lt": "lt/"}
TITLES = {"en": "First steps", "lv": "Pirmie soļi", "lt": "Pirmųjų žingsnių planas"}
TOC_TITLES = {"en": "Contents", "lv": "Saturs", "lt": "Turinys"}
TAGS = {"en": "en-GB", "lv": "lv-LV", "lt": "lt-LT"}


def html(site: Path, language: str, page: str = "01-first-steps/") -> str:
    return (site / LANGUAGES[language] / page / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_exists_in_every_language_with_its_html_lang(built_fixture, language):
    site = built_fixture / "site"
    for page in ("", "01-first-steps/", "02-premises/", "annex-a-glossary/", "download/"):
        assert f'<html lang="{language}"' in html(site, language, page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_keeps_the_same_chapter(built_fixture, language):
    page = html(built_fixture / "site", language, "02-premises/")
    for other, prefix in LANGUAGES.items():
        links = re.findall(rf'href="([^"]+)" hreflang="{other}" class="md-select__link"', page)
        assert links, f"no switcher link to {other}"
        target = (built_fixture / "site" / LANGUAGES[language] / "02-premises" / links[0]).resolve()
        assert target == (built_fixture / "site" / prefix / "02-premises").resolve()


def test_site_makes_no_request_to_google_fonts(built_fixture):
    for page in (built_fixture / "site").rglob("*.html"):
        assert "fonts.googleapis.com" not in page.read_text(encoding="utf-8")


def test_glossary_page_shows_the_table_in_the_readers_language(built_fixture):
    page = html(built_fixture / "site", "lv", "annex-a-glossary/")
    assert "daudzfunkcionālais centrs" in page and "Definīcija" in page
    assert "[[glossary-table]]" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_links_every_edition_of_its_language(built_fixture, language):
    page = html(built_fixture / "site", language, "")
    for extension in ("pdf", "docx", "epub"):
        # the file name says which edition a downloaded copy is: its version and date
        link = re.search(
            rf'href="(\.\./)?downloads/(guidelines-{language}-0\.9-\d{{4}}-\d\d-\d\d\.{extension})"', page
        )
        assert link and (built_fixture / "site" / "downloads" / link.group(2)).is_file()


def test_download_page_is_in_the_navigation(built_fixture):
    assert re.search(r'href="[^"]*download/"', html(built_fixture / "site", "lt", ""))


def pdf_text(reader: PdfReader) -> str:
    """The PDF's text as a reader would search it: soft hyphens (Latvian hyphenation) removed."""
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00ad", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_holds_the_chapter_titles_and_the_page_language(built_fixture, language):
    reader = PdfReader(edition_file(built_fixture / "site", language, "pdf"))
    text = pdf_text(reader)
    assert TITLES[language] in text
    assert TOC_TITLES[language] in text
    assert reader.trailer["/Root"]["/Lang"] == TAGS[language]
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_pdf_footnotes_of_two_chapters_do_not_clash(built_fixture):
    reader = PdfReader(edition_file(built_fixture / "site", "en", "pdf"))
    text = pdf_text(reader)
    assert "First footnote of the first chapter." in text
    assert "First footnote of the second chapter;" in text


def test_latvian_pdf_hyphenates_line_ends(built_fixture):
    reader = PdfReader(edition_file(built_fixture / "site", "lv", "pdf"))
    lines = "\n".join(page.extract_text() for page in reader.pages).splitlines()
    # A word broken at a line end (the fixture's text has no hyphenated compounds): pypdf reports the
    # drawn hyphen as the soft hyphen or as "-", depending on where the line breaks.
    assert any(re.search(r"[^\W\d_][\u00ad-]$", line) for line in lines)


def test_pdf_links_between_chapters_jump_inside_the_document(built_fixture):
    reader = PdfReader(edition_file(built_fixture / "site", "en", "pdf"))
    internal = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if (annotation.get_object().get("/Subtype") == "/Link" and "/Dest" in annotation.get_object())
        or annotation.get_object().get("/A", {}).get("/S") == "/GoTo"
    ]
    assert len(internal) >= 3  # two cross-chapter links and one within the chapter, besides the contents


@pytest.mark.parametrize("language", LANGUAGES)
def test_docx_has_headings_language_and_translated_toc_title(built_fixture, language):
    path = edition_file(built_fixture / "site", language, "docx")
    document = docx.Document(path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert TITLES[language] in headings
    assert document.core_properties.language == TAGS[language]
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert f'w:val="{TAGS[language]}"' in styles
    assert TOC_TITLES[language] in body and "TOC \\o" in body


def test_docx_boxes_use_the_note_styles(built_fixture):
    document = docx.Document(edition_file(built_fixture / "site", "lv", "docx"))
    styles = {p.style.name: p.text for p in document.paragraphs}
    assert styles.get("Note Title") in {"Atcerieties", "Latvija / Lietuva", "Pārbaudiet spēkā esošo aktu"}
    assert "Note" in styles


def test_checksums_match_the_files(built_fixture):
    import hashlib

    downloads = built_fixture / "site" / "downloads"
    lines = (downloads / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == 15  # three languages, three formats; and the one form in two formats in each
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((downloads / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_leave_language_alternates_to_the_sitemap(built_fixture, language):
    # Material fetches <alternate>/sitemap.xml for every alternate link in a page's head.
    assert '<link rel="alternate"' not in html(built_fixture / "site", language, "02-premises/")


def test_sitemap_lists_every_page_of_every_language_with_its_alternates(built_fixture):
    import xml.etree.ElementTree as ET

    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built_fixture / "site" / "sitemap.xml").getroot()
    entries = {url.find("s:loc", namespaces).text: url for url in root.findall("s:url", namespaces)}
    for prefix in LANGUAGES.values():
        entry = entries[f"https://example.org/guidelines/{prefix}01-first-steps/"]
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", namespaces)}
        assert set(alternates) == {"en", "lv", "lt", "x-default"}
        assert all(href.startswith("https://example.org/guidelines/") for href in alternates.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_not_found_page(built_fixture, language):
    page = (built_fixture / "site" / LANGUAGES[language] / "404.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_not_found_page_offers_the_home_page_of_each_language(built_fixture, language):
    """static-i18n left the language links of the last page built on the next language's 404 page."""
    import lxml.html

    page = lxml.html.parse(str(built_fixture / "site" / LANGUAGES[language] / "404.html")).getroot()
    links = {link.get("hreflang"): link.get("href") for link in page.find_class("md-select__link")}
    assert links == {code: f"/guidelines/{prefix}" for code, prefix in LANGUAGES.items()}


def test_a_second_build_of_unchanged_text_reuses_the_site_and_an_edit_rebuilds_it(cached_project):
    from guidelines.build import build
    from guidelines.project import load_project

    project = load_project(cached_project)
    build(project)
    page = cached_project / "site" / "index.html"
    first = page.stat().st_mtime_ns
    build(project)
    assert page.stat().st_mtime_ns == first  # nothing changed: the site was not rebuilt
    chapter = cached_project / "docs/en/02-premises.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    build(project)
    assert page.stat().st_mtime_ns != first
    assert "One more sentence." in (cached_project / "site/02-premises/index.html").read_text()


def test_an_untranslated_chapter_says_so_and_is_tagged_with_the_language_it_is_written_in(cached_project):
    import pikepdf

    from guidelines.build import build
    from guidelines.project import load_project

    (cached_project / "docs/lv/02-premises.md").unlink()
    build(load_project(cached_project))  # the Latvian editions made again, the others reused
    site = cached_project / "site"
    reader = PdfReader(edition_file(site, "lv", "pdf"))
    text = pdf_text(reader)
    assert "Vēl nav iztulkots" in text and "Premises shape what a centre can offer." in text
    languages = set()

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/Lang" in node:
                languages.add(str(node.Lang))
            children = node.get("/K")
            for child in children if isinstance(children, pikepdf.Array) else [children]:
                walk(child)

    with pikepdf.open(edition_file(site, "lv", "pdf")) as pdf:
        walk(pdf.Root.StructTreeRoot)
    # The English chapter is en-GB, not "en-LV" (the edition's region); the glossary's columns add
    # their own languages ("en", "lt"), and nothing else carries the Latvian region.
    assert "en-GB" in languages
    assert {language for language in languages if language.endswith("-LV")} == {"lv-LV"}
    with zipfile.ZipFile(edition_file(site, "lv", "docx")) as archive:
        assert 'w:lang w:val="en-GB"' in archive.read("word/document.xml").decode()
    # Latvian soft hyphens stay out of the English text: "Premises" and "building" are not broken.
    english = text[text.index("Premises shape") :]
    assert "\u00ad" not in english[: english.index("2.1")]


@pytest.mark.slow  # three builds of the site
def test_the_site_built_after_another_in_the_same_process_is_what_a_fresh_mkdocs_process_makes(
    fixture_project, tmp_path, monkeypatch
):
    """`guidelines build` runs MkDocs in its own process, where MkDocs keeps some plugins from one
    build to the next (a test run builds many projects in one): a site built after another project's
    release is, byte for byte, the site `mkdocs build` makes in a process of its own."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # as it is before any build
    other = copy_fixture(tmp_path / "other")
    settings = other / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("Fixture guidelines", "Other guidelines"), encoding="utf-8")
    (other / "docs/lv/02-premises.md").unlink()  # a page that falls back to English
    build_site(load_project(other), tmp_path / "other-site", None, published_as="1.0", edition="1.0")
    build_site(load_project(fixture_project), tmp_path / "ours" / "site", None)
    theirs = tmp_path / "theirs" / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(theirs)],
        cwd=fixture_project,
        env=environment,
        check=True,
    )
    ours, theirs = site_snapshot(tmp_path / "ours"), site_snapshot(tmp_path / "theirs")
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_an_empty_source_date_epoch_dates_the_site_as_an_unset_one(fixture_project, tmp_path, monkeypatch):
    """Set but empty is unset, as the toolkit reads it elsewhere; MkDocs' own reading failed on it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    build_site(load_project(fixture_project), tmp_path / "site", None)
    assert (tmp_path / "site/lv/02-premises/index.html").is_file()


def test_what_only_mkdocs_warns_of_is_a_site_finding_at_the_page_it_names(fixture_project, tmp_path):
    """The site is built strict: a warning of MkDocs' own (here a link to no page, which the checks,
    skipped, would have caught first) fails it, as a finding at the page, in MkDocs' words."""
    page = fixture_project / "docs/lv/01-first-steps.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Saite](nav-lapas.md)\n", encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        build_site(load_project(fixture_project), tmp_path / "site", None)
    (finding,) = raised.value.findings
    assert (finding.path, finding.code) == ("docs/lv/01-first-steps.md", "SITE")
    assert "'nav-lapas.md'" in finding.message and "not found" in finding.message


def with_theme_folder(project: Path) -> Path:
    """The project's own theme folder (`theme.custom_dir`), named in its settings."""
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"), encoding="utf-8"
    )
    return project / "overrides"


def test_a_template_changed_between_two_builds_in_one_process_is_compiled_again(fixture_project, tmp_path):
    """The theme's compiled templates are kept for the process (the preview builds again and again):
    a project's own template, edited between two builds, is read anew."""
    notice = with_theme_folder(fixture_project) / "partials/copyright.html"
    notice.parent.mkdir(parents=True)
    for words in ("First notice", "Second notice"):
        notice.write_text(f"<div>{words}</div>", encoding="utf-8")
        build_site(load_project(fixture_project), tmp_path / words, None)
        assert words in (tmp_path / words / "lv/02-premises/index.html").read_text(encoding="utf-8")


def test_the_theme_files_a_build_copies_are_those_mkdocs_lists_though_hidden_folders_are_not_walked(
    fixture_project,
):
    """Material's hidden `.icons` folder holds 14,500 files that MkDocs listed at each build of each
    language, only to drop every hidden path: the theme's files are listed without entering hidden
    folders, and what a build copies from the theme is what MkDocs's own listing finds."""
    overrides = with_theme_folder(fixture_project)
    for name in (
        "assets/extra.js",
        "assets/deep/er/more.css",
        ".hidden/no.js",
        "assets/.notes/no.js",
        ".no.js",
    ):
        (overrides / name).parent.mkdir(parents=True, exist_ok=True)
        (overrides / name).write_text("/* a theme file */\n", encoding="utf-8")
    config, problems = read_settings(fixture_project / "mkdocs.yml")
    assert problems == []
    config.theme.dirs.insert(1, THEME_DIR)  # as the plugin's on_config does
    mkdocs_listing = Files([])
    mkdocs_listing.add_files_from_theme(config.theme.get_env(), config)
    list_theme_files_lightly(config.theme)
    environment = config.theme.get_env()
    light_listing = Files([])
    light_listing.add_files_from_theme(environment, config)
    copied = sorted(file.src_uri for file in light_listing)
    assert copied == sorted(file.src_uri for file in mkdocs_listing)
    assert {"assets/extra.js", "assets/deep/er/more.css"} <= set(copied)
    assert [name for name in copied if name.startswith("assets/javascripts/bundle.")]  # Material's own
    assert [name for name in copied if "no.js" in name] == []
    assert [name for name in environment.list_templates() if "/." in f"/{name}"] == []  # none walked
    assert environment.get_template(".icons/material/home.svg")  # the theme's templates include them by name
