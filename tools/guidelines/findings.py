"""One type for every problem the toolkit reports, printed like a compiler does."""

from __future__ import annotations

import enum
import errno
import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """A problem at a place in the project: `path:line: CODE message`."""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""

    def format(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{place}: {self.code} {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, which annotates the pull request's line."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        line = f",line={self.line}" if self.line else ""
        message = f"{self.code} {self.message}" + (f" Hint: {self.hint}" if self.hint else "")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path}{line},title={self.code}::{message}"


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity is Severity.ERROR for finding in findings)


# Every check names the pages it reads this way, a page at a time: resolving the links of both paths
# on every call took seven of a test run's CPU seconds. The answer only names a file in a message.
@functools.lru_cache(maxsize=16384)
def relative(path: Path, root: Path) -> str:
    """The path as a reader of the message knows it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class FindingsError(Exception):
    """Raised when input problems stop a command; carries what was found."""

    def __init__(self, findings: list[Finding]):
        super().__init__(f"{len(findings)} problem(s) found")
        self.findings = sorted(findings)


class ToolError(Exception):
    """An external tool (pandoc, Typst, MkDocs) failed on input the checks accepted."""


class ReleaseRefused(Exception):
    """A release that may not start (uncommitted changes, an edition that exists, an older number):
    refused before anything changed."""


class ProjectBusy(Exception):
    """Another build, release or publication is running in the same project folder."""


# A file system's refusal as another program (MkDocs, pandoc) words it.
REFUSALS = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
}
REFUSED_FILE = re.compile(r"'([^']+)'\s*$")


def refusal_in(text: str) -> OSError | None:
    """The file system's refusal a program's message reports (disk full, read-only, no permission),
    as the OSError the toolkit reports for its own writes; None when it reports none."""
    for line in reversed(text.splitlines()):
        for words, number in REFUSALS.items():
            if words in line:
                found = REFUSED_FILE.search(line)
                return OSError(number, os.strerror(number), found.group(1) if found else None)
    return None
