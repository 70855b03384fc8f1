"""EPUB 3 edition: pandoc, with the document language, a navigation document, alt text on images,
and the edition and its date on the title page."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from guidelines.editions import TEMPLATES
from guidelines.editions.document import EditionSource
from guidelines.pandoc import run_pandoc


def build_epub(source: EditionSource, output: Path) -> Path:
    with tempfile.TemporaryDirectory() as work:
        metadata_file = Path(work) / "metadata.json"
        metadata = dict(source.metadata)
        metadata["edition-line"] = f"{metadata['edition-label']} {metadata['version']} · {metadata['date']}"
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
    return output
