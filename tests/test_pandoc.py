"""The one pandoc the toolkit runs: the one pypandoc-binary ships, whatever else the machine has."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_newer_pandoc_on_the_path_is_never_run(tmp_path: Path):
    """pypandoc itself would run `--version` on every pandoc along PATH and take the newest: the
    editions would then depend on what else the machine has installed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "ran"
    other = folder / "pandoc"
    other.write_text(f'#!/bin/sh\necho "$@" >> {record}\necho "pandoc 99.0"\n', encoding="utf-8")
    other.chmod(0o755)
    script = (
        "from guidelines.pandoc import pandoc_path, run_pandoc\n"
        "print(pandoc_path())\n"
        "print(run_pandoc('<p>Words.</p>', 'plain'), end='')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}"),
        check=True,
    )
    used, converted = result.stdout.split("\n", 1)
    assert Path(used).parts[-3:] == ("pypandoc", "files", "pandoc")
    assert converted == "Words.\n"
    assert not record.exists()
