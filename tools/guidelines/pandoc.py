"""The one place that runs pandoc: the 3.9 binary bundled by pypandoc-binary, never the system's."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import pypandoc

from guidelines.findings import ToolError

# pandoc's Markdown, narrowed to what Python-Markdown (the site) reads the same way: bare web
# addresses are links (pymdownx.magiclink on the site); "@name" is not a citation, "$x$" not math,
# "~x~" not a subscript, "| line" not a line block, "a)" not a list, "---" not a metadata block,
# a backslash at the end of a line is a backslash; "<" is text (the checks refuse HTML that matters);
# "#word" at the start of a line is a heading.
READER = (
    "markdown+fenced_divs+footnotes+pipe_tables+implicit_figures+header_attributes+raw_attribute"
    "+autolink_bare_uris-smart-citations-tex_math_dollars-subscript-superscript-strikeout-line_blocks"
    "-fancy_lists-example_lists-yaml_metadata_block-pandoc_title_block-simple_tables-multiline_tables"
    "-grid_tables-implicit_header_references-inline_notes-raw_tex-definition_lists-escaped_line_breaks"
    "-raw_html-space_in_atx_header"
)


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
    """Convert `text` (pandoc Markdown, or pandoc's JSON AST with reader="json")."""
    command = [pandoc_path(), "--from", reader, "--to", to, *args]
    if output:
        command += ["--output", output]
    # pandoc dates DOCX and EPUB files (and their zip entries) from SOURCE_DATE_EPOCH when it is set.
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)) if epoch is not None else None
    result = subprocess.run(command, input=text, capture_output=True, text=True, cwd=cwd, env=env)
    if result.returncode != 0:
        raise ToolError(f"pandoc failed ({to}): {result.stderr.strip()}")
    return result.stdout
