"""One language's edition as a single pandoc document: metadata plus every chapter in navigation order."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from guidelines.content import Content, Page
from guidelines.glossary import glossary_table, load_glossary
from guidelines.labels import label
from guidelines.markdown import ConversionContext, convert_page
from guidelines.project import language_prefix, source_date_epoch
from guidelines.versions import DEV


@dataclass(frozen=True)
class EditionSource:
    """Everything a PDF or DOCX of one language is made from; its hash names the cached result."""

    language: str
    markdown: str
    metadata: dict
    images: tuple[Path, ...]
    root: Path
    epoch: int | None  # SOURCE_DATE_EPOCH: every date inside the files comes from it

    def digest(self, *extra: bytes) -> str:
        sha = hashlib.sha256()
        sha.update(self.markdown.encode())
        sha.update(json.dumps(self.metadata, sort_keys=True).encode())
        sha.update(str(self.epoch).encode())
        for image in self.images:
            sha.update(image.relative_to(self.root).as_posix().encode())
            sha.update(image.read_bytes())
        for part in extra:
            sha.update(part)
        return sha.hexdigest()


def edition_file_name(name: str, language: str, version: str, date: str, extension: str) -> str:
    """e.g. octopus-guidelines-lv-1.1-2026-11-23.pdf: a downloaded copy says which edition it is."""
    return f"{name}-{language}-{version}-{date}.{extension}"


def build_source(content: Content, language: str) -> EditionSource:
    """The pandoc Markdown of one edition. Image paths are relative to the project root, where pandoc
    runs and which is Typst's root, so no machine's absolute path ends up in a file."""
    project = content.project
    codes = [lang.code for lang in project.languages]
    pages = content.edition_pages(language)
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

    glossary = load_glossary(project.glossary_path, project.display(project.glossary_path), codes)
    context = ConversionContext(
        names, page_url, image_path, lambda: glossary_table(glossary, language, codes)
    )
    chapters = [convert_page(page, context) for page in pages]
    return EditionSource(
        language=language,
        markdown="\n".join(chapters),
        metadata=edition_metadata(content, language),
        images=tuple(sorted(images)),
        root=project.root,
        epoch=source_date_epoch(project.root),
    )


def edition_metadata(content: Content, language: str) -> dict:
    project = content.project
    lang = project.language(language)
    home = content.page(language, "index.md") or content.page(project.source_language.code, "index.md")
    front = home.front_matter if home else {}
    return {
        "title": str(front.get("title") or lang.site_name),
        "subtitle": str(front.get("subtitle", "")),
        "description": str(front.get("description", "")),
        "identity": str(front.get("programme", "")),
        "funding": str(front.get("funding", "")),
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
