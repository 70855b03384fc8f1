"""One language's edition as a single pandoc document: metadata plus every chapter in navigation order."""

from __future__ import annotations

import hashlib
import html
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from guidelines.content import Content, Page
from guidelines.editions.chapters import ChapterContext, edition_chapter
from guidelines.glossary import MARKER as GLOSSARY_MARKER
from guidelines.glossary import glossary_table, load_glossary
from guidelines.labels import label
from guidelines.project import language_prefix, source_date_epoch
from guidelines.rendering import DOWNLOADS_MARKER, FORMS_MARKER, expand_markers, render
from guidelines.versions import DEV


@dataclass(frozen=True)
class SourceHeading:
    """A heading of the edition and where it is written: the preflight names a fault on a typeset
    page at the heading above it, as `path:line`."""

    text: str
    path: str
    line: int


@dataclass(frozen=True)
class EditionSource:
    """Everything a PDF or DOCX of one language is made from; its hash names the cached result."""

    language: str
    html: str  # every chapter as the site renders it, shaped for one document (editions/chapters.py)
    metadata: dict
    images: tuple[Path, ...]
    root: Path
    epoch: int | None  # SOURCE_DATE_EPOCH: every date inside the files comes from it
    form: str = ""  # the page's file name when this is one form published on its own (editions/forms.py)
    # Where each heading is written, in the edition's order: for messages only, so not in the digest.
    headings: tuple[SourceHeading, ...] = ()

    def digest(self, *extra: bytes) -> str:
        sha = hashlib.sha256()
        sha.update(self.html.encode())
        sha.update(json.dumps(self.metadata, sort_keys=True).encode())
        sha.update(str(self.epoch).encode())
        sha.update(self.form.encode())
        for image in self.images:
            sha.update(image.relative_to(self.root).as_posix().encode())
            sha.update(image.read_bytes())
        for part in extra:
            sha.update(part)
        return sha.hexdigest()


def edition_file_name(name: str, language: str, version: str, date: str, extension: str) -> str:
    """e.g. octopus-guidelines-lv-1.1-2026-11-23.pdf: a downloaded copy says which edition it is."""
    return f"{name}-{language}-{version}-{date}.{extension}"


def build_source(content: Content, language: str, pages: list[Page] | None = None) -> EditionSource:
    """The HTML of one edition: each page rendered as the site renders it (with the same expansion
    of the glossary marker), shaped into one document. Image paths are relative to the project root,
    where pandoc runs and which is Typst's root, so no machine's absolute path ends up in a file.
    `pages`: only these (a form on its own); links to the others then go to the website."""
    project = content.project
    codes = [lang.code for lang in project.languages]
    pages = content.edition_pages(language) if pages is None else pages
    names = {page.name for page in pages}
    images: set[Path] = set()

    def image_path(page: Page, src: str) -> str:
        path = (page.path.parent / src).resolve()
        images.add(path)
        return path.relative_to(project.root).as_posix()

    def page_url(name: str, anchor: str) -> str:
        prefix = language_prefix(language, project.source_language.code)
        path = "" if name == "index.md" else name.removesuffix(".md") + "/"
        return project.site_url + prefix + path + (f"#{anchor}" if anchor else "")

    def fallback_note(page: Page) -> str:
        title = html.escape(label(language, "untranslated.title"))
        text = html.escape(label(language, "untranslated.text"))
        return (
            f'<div class="admonition warning"><div class="admonition-title"><p>{title}</p></div>'
            f"<p>{text}</p></div>"
        )

    glossary = load_glossary(project.glossary_path, project.display(project.glossary_path), codes)
    expansions = {
        GLOSSARY_MARKER: lambda: glossary_table(glossary, language, codes),
        DOWNLOADS_MARKER: lambda: "",
        FORMS_MARKER: lambda: "",
    }
    tags = {lang.code: lang.tag for lang in project.languages}
    context = ChapterContext(language, names, page_url, image_path, fallback_note, tags)
    chapters = [edition_chapter(page, _rendered(project, page, expansions), context) for page in pages]
    return EditionSource(
        language=language,
        html="\n".join(chapters),
        metadata=edition_metadata(content, language),
        images=tuple(sorted(images)),
        root=project.root,
        epoch=source_date_epoch(project.root),
        headings=tuple(
            SourceHeading(heading.text, project.display(page.path), heading.line)
            for page in pages
            for heading in page.headings
        ),
    )


def _rendered(project, page: Page, expansions: dict) -> str:
    """The page as the site renders it, with the edition's expansion of the toolkit's markers."""
    expanded = expand_markers(page.body, expansions)
    return page.html if expanded == page.body else render(project, expanded)


# pandoc reads a metadata file's values as Markdown, raw HTML included: a front-matter value is text,
# so what would open HTML, an entity, a link or code is escaped. (Quotes stay: pandoc curls them.)
METADATA_MARKUP = re.compile(r"([\\<>&\[\]`])")


def metadata_text(value: object) -> str:
    """A front-matter value as pandoc's metadata reads it back: the same text, never markup."""
    return METADATA_MARKUP.sub(r"\\\1", str(value))


def _home_front_matter(content: Content, language: str) -> dict:
    project = content.project
    home = content.page(language, "index.md") or content.page(project.source_language.code, "index.md")
    return home.front_matter if home else {}


def edition_title(content: Content, language: str) -> str:
    """The guidelines' title in the language, as written (the home page's, or the site's name)."""
    front = _home_front_matter(content, language)
    return str(front.get("title") or content.project.language(language).site_name)


def edition_metadata(content: Content, language: str) -> dict:
    project = content.project
    lang = project.language(language)
    front = _home_front_matter(content, language)
    return {
        "title": metadata_text(edition_title(content, language)),
        "subtitle": metadata_text(front.get("subtitle", "")),
        "description": metadata_text(front.get("description", "")),
        "identity": metadata_text(front.get("programme", "")),
        "funding": metadata_text(front.get("funding", "")),
        "lang": lang.tag,
        "region": lang.region,
        "version": project.version,
        "date": project.edition_date().isoformat(),
        "toc-title": label(language, "contents"),
        # A stable identifier, so two builds of one edition are the same EPUB.
        "identifier": "urn:uuid:"
        + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{project.site_url}{language}/{project.version}")),
        "edition-label": label(language, "edition"),
        # The title pages of an unreleased build say so, in the language, instead of "Edition dev".
        "draft-label": label(language, "draft") if project.version == DEV else "",
    }
