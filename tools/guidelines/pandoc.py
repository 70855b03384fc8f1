"""The one place that runs pandoc: the 3.9 binary bundled by pypandoc-binary, never the system's."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import pypandoc

from guidelines.findings import ToolError

# pandoc reads the HTML the site renders (editions/chapters.py), never the Markdown. Headings carry
# the site's ids; pandoc must not invent more (two chapters' invented ids could clash).
READER = "html-auto_identifiers"


@cache
def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def run_pandoc(
    text: str,
    to: str,
    *args: str,
    output: str | None = None,
    cwd: Path | None = None,
    reader: str = READER,
    epoch: int | None = None,
) -> str:
    """Convert `text` (the edition's HTML, or pandoc's JSON AST with reader="json")."""
    command = [pandoc_path(), "--from", reader, "--to", to, *args]
    if output:
        command += ["--output", output]
    # pandoc dates DOCX and EPUB files (and their zip entries) from SOURCE_DATE_EPOCH when it is set.
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)) if epoch is not None else None
    result = subprocess.run(command, input=text, capture_output=True, text=True, cwd=cwd, env=env)
    if result.returncode != 0:
        raise ToolError(f"pandoc failed ({to}): {result.stderr.strip()}")
    return result.stdout
