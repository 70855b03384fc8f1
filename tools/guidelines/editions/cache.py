"""The editions cache (`.cache/editions/`): a file is reused only when it proves it is the one made.

A full disk or a kill while a file is copied in leaves a short file; reused unchecked, it would be
published as good, with its checksum on the download page. So each entry is written under a
temporary name and renamed (a reader never sees half a file), its SHA-256 recorded beside it
before it appears, and before reuse it must match that record and open as what it claims to be.

Entries no current edition is made of are pruned after a successful build. A command that reads or
writes the cache (a build; `review`, which counts the PDFs' pages and takes no project lock) holds
a shared lock on it meanwhile; pruning takes it exclusively and waits for no one: when another
command holds it, pruning is left to the next build, so no entry disappears under its reader.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

RECORD = ".sha256"
LOCK = ".lock"
# What the cache writes: an entry `<sha-256>.<format>`, its record, and a copy in progress under a
# temporary name (`.<name>.XXXXXXXX.part`, left behind by a kill). Pruning removes nothing else.
ENTRY = re.compile(r"[0-9a-f]{64}\.(?:pdf|docx|epub)")
WRITTEN = re.compile(
    rf"(?P<name>{ENTRY.pattern})(?:{re.escape(RECORD)})?|\.{ENTRY.pattern}(?:{re.escape(RECORD)})?\..+\.part"
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fault(path: Path, fmt: str, sha256: str | None) -> str | None:
    """Why the edition file at `path` is not the one recorded (None: it is): its checksum differs
    from `sha256`, or it does not open as a PDF, or as the zip a DOCX or EPUB is."""
    if sha256 is None:
        return "no checksum was recorded for it"
    if sha256_of(path) != sha256:
        return "its SHA-256 differs from the one recorded when it was made"
    try:
        if fmt == "pdf":
            with pikepdf.open(path) as document:
                if len(document.pages) == 0:
                    return "the PDF has no pages"
        else:
            with zipfile.ZipFile(path) as archive:
                if (broken := archive.testzip()) is not None:
                    return f"its part {broken} is damaged"
    except (pikepdf.PdfError, zipfile.BadZipFile, OSError) as error:
        return f"it does not open: {error}"
    return None


def _write_atomically(target: Path, write) -> None:
    """`write(temporary_path)`, then rename it to `target`: either the whole file is there or none."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Pruned:
    """What pruning did: the files it removed, and the cache's size (bytes) before and after."""

    removed: int
    before: int
    after: int


class EditionCache:
    """Edition files by the content hash of everything they are made from."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def entry(self, key: str, fmt: str) -> Path:
        return self.folder / f"{key}.{fmt}"

    def recorded(self, key: str, fmt: str) -> str | None:
        record = self.entry(key, fmt).with_name(f"{key}.{fmt}{RECORD}")
        try:
            return record.read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def check(self, key: str, fmt: str) -> str | None:
        """None if there is no entry; otherwise why it may not be reused ("" when it may). A bad
        entry is removed, so the edition is made again and cached anew."""
        entry = self.entry(key, fmt)
        if not entry.is_file():
            return None
        reason = fault(entry, fmt, self.recorded(key, fmt))
        if reason:
            entry.unlink(missing_ok=True)
        return reason or ""

    def store(self, key: str, fmt: str, made: Path) -> None:
        """Cache the edition file `made`: the record first, so an entry never exists without it."""
        sha256 = sha256_of(made)
        entry = self.entry(key, fmt)
        _write_atomically(
            entry.with_name(f"{entry.name}{RECORD}"),
            lambda path: path.write_text(sha256 + "\n", encoding="ascii"),
        )
        _write_atomically(entry, lambda path: shutil.copyfile(made, path))

    @contextlib.contextmanager
    def in_use(self) -> Iterator[None]:
        """Hold the cache's shared lock: no entry is pruned while the caller reads or writes it."""
        descriptor = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)  # pruning holds it only for a moment
            yield
        finally:
            os.close(descriptor)  # closing releases the lock

    def prune(self, keep: set[str]) -> Pruned | None:
        """Remove every entry (with its record) whose name is not in `keep`, and every copy left
        half made; None, removing nothing, when another command is using the cache."""
        descriptor = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            before = after = removed = 0
            for path in sorted(self.folder.iterdir()):
                match = WRITTEN.fullmatch(path.name)
                if match is None or not path.is_file() or path.is_symlink():
                    continue
                size = path.stat().st_size
                before += size
                if match["name"] in keep:
                    after += size
                else:
                    path.unlink(missing_ok=True)
                    removed += 1
            return Pruned(removed, before, after)
        finally:
            os.close(descriptor)
