"""One build at a time in a project folder.

Two builds in one folder swap site/ under each other and write the same cache entries: a second
build is refused while the first runs. The lock is the kernel's (flock): a build that is killed,
even outright, releases it, so it is never left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from guidelines.findings import ProjectBusy
from guidelines.project import Project

LOCK = ".cache/build.lock"
_held: dict[Path, int] = {}  # lock file -> how many of this process's commands hold it


@contextlib.contextmanager
def project_lock(project: Project, command: str) -> Iterator[None]:
    """Hold the project's lock while `command` (build, release, publish-dev) runs; a build inside a
    release holds it already."""
    path = (project.root / LOCK).resolve()
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 200).decode("utf-8", "replace").strip()
            raise ProjectBusy(
                f"another {holder or 'build'} is running in {project.display(project.root)}; wait for it "
                "to finish (or stop it), then run this again"
            ) from None
        os.ftruncate(descriptor, 0)
        os.write(
            descriptor, f"{command} (process {os.getpid()}, started {time.strftime('%H:%M:%S')})".encode()
        )
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # closing releases the lock
