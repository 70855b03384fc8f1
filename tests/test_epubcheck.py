"""EPUBCheck kept running for every check of a process (tools/guidelines/editions/epubcheck.py).

How the process is kept, replaced and stopped is tried with stand-ins for `java` that answer at once
(or never), named on the PATH; what EPUBCheck finds in the editions is in tests/test_preflight.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidelines.editions import epubcheck
from guidelines.editions.epubcheck import check_epubs
from guidelines.findings import ToolError

# A Java that answers as the batch program does, at once: a clean report for every EPUB.
ANSWERING = """#!/bin/sh
while IFS="$(printf '\\t')" read -r epub report; do
    printf '{"messages": []}' > "$report"
    echo 0
done
"""


@pytest.fixture
def stand_in_java(tmp_path, monkeypatch):
    """Put a `java` with the given script first on the PATH; its processes are stopped after the test."""

    def install(script: str) -> Path:
        java = tmp_path / "bin" / "java"
        java.parent.mkdir(exist_ok=True)
        java.write_text(script, encoding="utf-8")
        java.chmod(0o755)
        monkeypatch.setenv("PATH", f"{java.parent}{os.pathsep}{os.environ['PATH']}")
        return java

    yield install
    for key in [key for key in epubcheck._checkers if key.startswith(str(tmp_path))]:
        epubcheck._checkers.pop(key).stop()


def test_one_epubcheck_serves_every_check_of_a_process(stand_in_java, tmp_path):
    java = stand_in_java(ANSWERING)
    epubs = [tmp_path / "guidelines-en.epub", tmp_path / "guidelines-lv.epub"]
    assert check_epubs(epubs) == {epub: [] for epub in epubs}
    started = epubcheck._checkers[str(java)].process
    assert check_epubs(epubs[:1]) == {epubs[0]: []}
    assert epubcheck._checkers[str(java)].process is started and started.poll() is None


def test_a_new_epubcheck_follows_one_that_ended(stand_in_java, tmp_path):
    java = stand_in_java(ANSWERING)
    epub = tmp_path / "guidelines-en.epub"
    check_epubs([epub])
    ended = epubcheck._checkers[str(java)].process
    ended.kill()
    ended.wait()
    assert check_epubs([epub]) == {epub: []}
    assert epubcheck._checkers[str(java)].process is not ended


def test_an_epubcheck_that_ends_during_a_check_is_quoted_for_that_check_alone(stand_in_java, tmp_path):
    java = stand_in_java(
        "#!/bin/sh\n"
        "echo 'Picked up JAVA_TOOL_OPTIONS' >&2\n"  # said at its start, before any check
        + ANSWERING.split("\n", 1)[1].replace("done", "    break\ndone")  # answers the first check only
        + "read -r line\necho 'java.lang.OutOfMemoryError: Java heap space' >&2\nexit 1\n"
    )
    first, second = tmp_path / "guidelines-en.epub", tmp_path / "guidelines-lv.epub"
    assert check_epubs([first]) == {first: []}
    with pytest.raises(ToolError) as failed:
        check_epubs([second])
    assert str(failed.value) == (
        "EPUBCheck could not check guidelines-lv.epub: java.lang.OutOfMemoryError: Java heap space"
    )
    assert str(java) not in epubcheck._checkers


def test_an_epubcheck_past_its_time_is_killed_and_the_check_fails(stand_in_java, tmp_path):
    java = stand_in_java("#!/bin/sh\nexec sleep 60\n")  # never answers
    with pytest.raises(ToolError) as failed:
        check_epubs([tmp_path / "guidelines-en.epub"], seconds=0.2)
    assert str(failed.value) == "EPUBCheck did not finish guidelines-en.epub within 0.2 s"
    assert str(java) not in epubcheck._checkers  # the next check starts another


def test_when_java_cannot_run_epubcheck_the_message_says_so_and_blames_no_epub(stand_in_java, tmp_path):
    stand_in_java('#!/bin/sh\necho "Error: could not open the Java runtime" >&2\nexit 1\n')
    with pytest.raises(ToolError) as failed:
        check_epubs([tmp_path / "guidelines-en.epub", tmp_path / "guidelines-lv.epub"])
    assert str(failed.value) == "EPUBCheck did not run: Error: could not open the Java runtime"


def test_epubcheck_ends_with_the_process_that_started_it_even_killed_outright():
    """The real batch program, in Java: its input closes with the process, and it ends."""
    script = (
        "import os, shutil, signal\n"
        "from guidelines.editions import epubcheck\n"
        "print(epubcheck._Checker(shutil.which('java')).process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    java = Path(f"/proc/{int(killed.stdout)}")
    assert shutil.which("java") and java.exists()  # started, and not ended by the kill itself
    for _ in range(300):
        if not java.exists() or (java / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return
        time.sleep(0.05)
    pytest.fail("EPUBCheck's Java process outlived the process that started it")
