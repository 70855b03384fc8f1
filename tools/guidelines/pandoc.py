"""The one place that runs pandoc: the 3.9 binary bundled by pypandoc-binary, never the system's."""

from __future__ import annotations

import os
import signal
import subprocess
from functools import cache
from pathlib import Path

import pypandoc

from guidelines.findings import ToolError, refusal_in

# pandoc reads the HTML the site renders (editions/chapters.py), never the Markdown. Headings carry
# the site's ids; pandoc must not invent more (two chapters' invented ids could clash).
READER = "html-auto_identifiers"


@cache
def pandoc_path() -> str:
    """The binary pypandoc-binary ships inside its package. Not pypandoc.get_pandoc_path(): that runs
    `--version` on every pandoc it finds along PATH and beside it, in each edition's worker, and picks
    the newest, so a newer pandoc installed on the machine would make different editions."""
    name = "pandoc.exe" if os.name == "nt" else "pandoc"
    bundled = Path(pypandoc.__file__).resolve().parent / "files" / name
    if not os.access(bundled, os.X_OK):
        raise ToolError(f"the pandoc of pypandoc-binary is missing ({bundled}): run `make install`")
    return str(bundled)


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
    seconds, heap = limits_for(len(text))
    # pandoc's own heap limit (its runtime's -M) ends a run that would take the machine's memory
    # with "Heap exhausted" instead; the time limit ends one that would run for ever.
    command[1:1] = ["+RTS", f"-M{heap // 2**20}m", "-RTS"]
    try:
        result = subprocess.run(
            command, input=text, capture_output=True, text=True, cwd=cwd, env=env, timeout=seconds
        )
    except subprocess.TimeoutExpired:
        raise ToolError(f"pandoc ({to}) was stopped after its time limit of {seconds:.0f} s") from None
    if result.returncode == HEAP_EXHAUSTED:
        raise ToolError(f"pandoc ({to}) was stopped at its memory limit of {heap // 2**20} MB")
    if result.returncode < 0:
        raise ToolError(f"pandoc ({to}) was killed by signal {signal.Signals(-result.returncode).name}")
    if result.returncode != 0:
        raise refusal_in(result.stderr) or ToolError(f"pandoc failed ({to}): {result.stderr.strip()}")
    return result.stdout


# One run of pandoc on the guidelines' 700,000 characters of HTML takes 1-5 s and peaks at
# 320-360 MB (December 2026); the limits leave many times that, growing with the text.
BASE_SECONDS = 60
SECONDS_PER_CHARACTER = 0.0001
BASE_HEAP = 512 * 2**20
HEAP_PER_CHARACTER = 1000
HEAP_EXHAUSTED = 251  # the exit code of a Haskell program past its -M heap limit


def limits_for(characters: int) -> tuple[float, int]:
    """The time (seconds) and heap (bytes) one pandoc run on `characters` of text may take."""
    return BASE_SECONDS + SECONDS_PER_CHARACTER * characters, BASE_HEAP + HEAP_PER_CHARACTER * characters
