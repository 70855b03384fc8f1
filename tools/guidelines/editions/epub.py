"""EPUB 3 edition: pandoc, with the document language, a navigation document, alt text on images,
the edition and its date on the title page, and EPUB Accessibility 1.1 metadata."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from guidelines.editions import TEMPLATES
from guidelines.editions.document import EditionSource
from guidelines.labels import label
from guidelines.pandoc import run_pandoc

# What EPUB Accessibility 1.1 asks a publication to declare (schema.org's accessibility vocabulary):
# how it can be read, and which standard it claims to meet. The figures are pictures with a text
# description, so the text alone is enough.
ACCESSIBILITY = {
    "accessModes": ["textual", "visual"],
    "accessModeSufficient": ["textual"],
    "accessibilityFeatures": [
        "alternativeText",
        "displayTransformability",
        "readingOrder",
        "structuralNavigation",
        "tableOfContents",
    ],
    "accessibilityHazards": ["none"],
}
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
PACKAGE = "EPUB/content.opf"


def build_epub(source: EditionSource, output: Path) -> Path:
    with tempfile.TemporaryDirectory() as work:
        metadata_file = Path(work) / "metadata.json"
        # An empty value becomes an empty element (`<dc:description></dc:description>`), which
        # EPUBCheck refuses (RSC-005).
        metadata = {key: value for key, value in source.metadata.items() if value != ""}
        edition = metadata.get("draft-label") or f"{metadata['edition-label']} {metadata['version']}"
        metadata["edition-line"] = f"{edition} · {metadata['date']}"
        metadata |= ACCESSIBILITY
        metadata["accessibilitySummary"] = label(source.language, "epub.summary")
        metadata_file.write_text(json.dumps(metadata), encoding="utf-8")
        run_pandoc(
            source.html,
            "epub3",
            "--template",
            str(TEMPLATES / "epub3.xhtml"),
            "--lua-filter",
            str(TEMPLATES / "guidelines.lua"),
            "--metadata-file",
            str(metadata_file),
            "--css",
            str(TEMPLATES / "epub.css"),
            "--toc",
            "--toc-depth=2",
            "--split-level=1",
            output=str(output),
            cwd=source.root,
            epoch=source.epoch,
        )
    declare_conformance(output)
    return output


def declare_conformance(path: Path) -> None:
    """Add `dcterms:conformsTo` to the package document (pandoc writes the other accessibility
    properties from the metadata, but not this one). Every entry keeps its name, date and order,
    and `mimetype` stays first and stored, as EPUB requires."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            if info.filename == PACKAGE:
                claim = f'    <meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>\n  </metadata>'
                data = data.decode("utf-8").replace("  </metadata>", claim, 1).encode("utf-8")
            archive.writestr(info, data, compress_type=info.compress_type)
