"""Run one command as a child process and measure it: wall time and peak memory.

Two memory figures, because a build runs several processes at once:
- `tree_rss`: the peak of the summed resident memory of every process under the command, sampled
  with psutil every `INTERVAL` seconds (a peak shorter than that can be missed);
- `process_rss`: the largest resident memory any single process reached, exact, from the kernel's
  accounting of finished children (`getrusage(RUSAGE_CHILDREN)` read by a small wrapper process, so
  each measurement starts from zero; see WRAPPER).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

INTERVAL = 0.1
# Runs the command and writes the largest RSS among its descendants (KiB on Linux) and the CPU seconds
# they used (user + system), which other jobs on the machine barely change. It makes itself the
# "child subreaper", so processes that outlive their parent (multiprocessing's forkserver and the
# workers it forks) are handed to it and counted, and it waits for them all before reading the figure.
WRAPPER = """
import ctypes, os, resource, subprocess, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except (OSError, AttributeError):
    pass
code = subprocess.call(sys.argv[2:])
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(code)
"""


class CommandFailed(RuntimeError):
    """The measured command exited non-zero; the message ends with its last lines of error output."""


@dataclass(frozen=True)
class Sample:
    seconds: float
    tree_rss: int  # bytes
    process_rss: int  # bytes
    cpu_seconds: float  # user + system, every process of the command
    stdout: str


def _sample_tree(wrapper: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            processes = wrapper.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        total = 0
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += process.memory_info().rss
        peak[0] = max(peak[0], total)
        stop.wait(INTERVAL)


def run(
    command: Sequence[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Sample:
    """Run `command` to the end and measure it; raise CommandFailed if it fails."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        report = Path(scratch) / "maxrss"
        out_path, err_path = Path(scratch) / "stdout", Path(scratch) / "stderr"
        with out_path.open("w") as out, err_path.open("w") as err:
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-c", WRAPPER, str(report), *map(str, command)],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
            peak, stop = [0], threading.Event()
            sampler = threading.Thread(target=_sample_tree, args=(psutil.Process(process.pid), stop, peak))
            sampler.start()
            code = process.wait()
            seconds = time.perf_counter() - start
            stop.set()
            sampler.join()
        if code != 0:
            tail = "\n".join(err_path.read_text(errors="replace").strip().splitlines()[-15:])
            raise CommandFailed(f"{' '.join(map(str, command))} exited {code}:\n{tail}")
        maxrss, cpu_seconds = report.read_text().split()
        process_rss = int(maxrss) * 1024
        return Sample(
            seconds, max(peak[0], process_rss), process_rss, float(cpu_seconds), out_path.read_text()
        )


@dataclass(frozen=True)
class Series:
    """Repeated measurements of one thing (each possibly the sum of several commands)."""

    samples: list[Sample]

    @property
    def seconds(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(sample.cpu_seconds for sample in self.samples)

    @property
    def spread(self) -> str:
        """Every run's wall seconds, fastest first, to show how steady the machine was."""
        return ", ".join(f"{sample.seconds:.1f}" for sample in sorted(self.samples, key=lambda s: s.seconds))

    @property
    def tree_rss(self) -> int:
        return max(sample.tree_rss for sample in self.samples)

    @property
    def process_rss(self) -> int:
        return max(sample.process_rss for sample in self.samples)

    @property
    def runs(self) -> int:
        return len(self.samples)


def combine(samples: Sequence[Sample]) -> Sample:
    """Commands run one after another, as one: times add up, memory is the largest of them."""
    return Sample(
        sum(sample.seconds for sample in samples),
        max(sample.tree_rss for sample in samples),
        max(sample.process_rss for sample in samples),
        sum(sample.cpu_seconds for sample in samples),
        "".join(sample.stdout for sample in samples),
    )


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}
