"""Publishing toolkit for the OCTOPUS guidelines: one content model, a multilingual site and editions."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

# The engines whose versions shape the outputs (pinned in pyproject.toml).
ENGINES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-static-i18n",
    "pymdown-extensions",
    "Markdown",
    "pypandoc-binary",
    "typst",
    "python-docx",
    "pyphen",
)


@cache
def toolkit_fingerprint() -> bytes:
    """A hash of the toolkit's own files and its engines' versions: part of every cached output's
    key, so that a change to any converter, template, filter or pinned engine rebuilds them."""
    sha = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(path.relative_to(package).as_posix().encode())
            sha.update(path.read_bytes())
    for engine in ENGINES:
        sha.update(f"{engine}=={metadata.version(engine)}".encode())
    return sha.digest()
