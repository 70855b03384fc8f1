"""What a build made: the edition files with their sizes and SHA-256 sums (`manifest.json`).

Kept apart from the engines: the MkDocs plugin reads the manifest for the downloads panel, and
importing it must not load pandoc, Typst or python-docx.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class EditionFile:
    language: str
    format: str
    file: str
    size: int
    sha256: str
    form: str = ""  # a form published on its own: its page's file name (editions/forms.py)
    title: str = ""  # and that page's title


def read_manifest(path: Path) -> list[EditionFile]:
    if not path.is_file():
        return []
    return [EditionFile(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]
