"""The one place that runs pandoc: the 3.9 binary bundled by pypandoc-binary, never the system's."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import pypandoc

from guidelines.findings import ToolError

READER = "markdown+fenced_divs+footnotes+pipe_tables+implicit_figures+header_attributes+raw_attribute-smart"


@cache
def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def run_pandoc(
    text: str, to: str, *args: str, output: str | None = None, cwd: Path | None = None, reader: str = READER
) -> str:
    """Convert `text` (pandoc Markdown, or pandoc's JSON AST with reader="json")."""
    command = [pandoc_path(), "--from", reader, "--to", to, *args]
    if output:
        command += ["--output", output]
    result = subprocess.run(command, input=text, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise ToolError(f"pandoc failed ({to}): {result.stderr.strip()}")
    return result.stdout
