"""Editions made in processes the build can stop: each within a time and a memory limit, all of them
at once when the build is interrupted.

A process pool waits for the editions it runs (Typst typesets inside its worker and cannot be
interrupted), so Ctrl+C took over a minute, and nothing bounded a text that made an engine run
away. Here each edition has a process of its own, in a process group of its own with the pandoc,
Typst and Java runs it starts, so the whole group can be killed at once: when it passes its limits
(the group's resident memory is sampled), and when the build stops for any reason.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from guidelines.editions import EditionFailure

# Measured on the guidelines (December 2026, en/lv/lt, 680-730 thousand characters of HTML each):
# a PDF peaks at 560-640 MB (Typst in the worker) and takes 16-29 s, an EPUB or a DOCX 3-12 s, on
# 2 cores shared with other work. The limits leave several times that, growing with the text.
BASE_SECONDS = 120
SECONDS_PER_CHARACTER = 0.0003  # about 200 s more for the guidelines' 700,000 characters
# Typst's memory grows with the number of chapters and pages as well as with the text: the 655
# CommonMark examples, one short chapter each (50 thousand characters), peak at 1.17 GB.
BASE_MEMORY = 2 << 30
MEMORY_PER_CHARACTER = 1500  # about 1 GB more for 700,000 characters: 3 GB, five times the peak
SAMPLE_SECONDS = 0.1
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory: int  # bytes of resident memory, the edition's processes together

    @classmethod
    def for_text(cls, characters: int) -> Limits:
        return cls(
            BASE_SECONDS + SECONDS_PER_CHARACTER * characters,
            BASE_MEMORY + MEMORY_PER_CHARACTER * characters,
        )


@dataclass
class Job:
    call: Callable
    args: tuple
    limits: Limits
    group: str = ""  # e.g. the edition's language: a failure in a group ends the group's other jobs


@dataclass(frozen=True)
class Skipped:
    """The outcome of a job not run, or stopped while it ran, because another job of its group
    failed: its result could no longer change the answer."""

    group: str


def _end_with(build: int) -> None:
    """End this worker's group (it, and the pandoc, Typst or Java run it waits for) as soon as the
    build's process `build` ends, even killed outright: no worker writes on for a build that is gone.
    (The kernel's parent-death signal would not do: a worker's parent is multiprocessing's fork
    server, which lives as long as any worker holds its pipe.)"""
    try:
        watched = os.pidfd_open(build)
    except (AttributeError, OSError):  # not Linux 5.3+: ask every second
        watched = None

    def watch() -> None:
        if watched is not None:
            select.select([watched], [], [])
        else:
            while _alive(build):
                time.sleep(1)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _work(connection: Connection, call: Callable, args: tuple, build: int, scratch: str | None) -> None:
    os.setsid()  # a group of its own: killed as one, and deaf to the terminal's Ctrl+C (the build hears it)
    _end_with(build)
    if scratch:  # temporary files (its own, pandoc's, Java's) where the build clears them, even killed
        os.environ["TMPDIR"] = scratch
        tempfile.tempdir = None
    try:
        outcome = (True, call(*args))
    except BaseException as error:  # every failure goes back to the build, to report
        outcome = (False, error)
    try:
        connection.send(outcome)
    except Exception as error:  # an exception that cannot be pickled: its text goes back
        connection.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    connection.close()


def _memory_by_group() -> dict[int, int]:
    """Resident memory (bytes) of every process group of this machine's processes, from /proc
    (Linux; elsewhere nothing, and only the time limit holds)."""
    groups: dict[int, int] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        # after the name: state, ppid, pgrp (index 2) ... rss in pages (index 21)
        group = int(fields[2])
        groups[group] = groups.get(group, 0) + int(fields[21]) * PAGE
    return groups


def _kill(process: multiprocessing.Process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.join()


def run_jobs(
    jobs: list[Job],
    workers: int,
    scratch: Path | None = None,
    failed: Callable[[tuple[bool, object]], bool] | None = None,
) -> list[tuple[bool, object]]:
    """Run each job's `call(*args)` in a process of its own, `workers` at a time; for each, in order,
    (True, its result) or (False, the exception it raised or an EditionFailure for a limit it
    passed). On any exception here (KeyboardInterrupt included) every running job is killed first.
    The jobs' temporary files go into `scratch` (default: the system's).

    With `failed` (which outcomes are failures), the first failure in a group ends that group: its
    jobs still waiting never start and those running are killed, each with (False, Skipped). So the
    run ends as soon as every group has failed or finished: a build knows each language's failure
    without waiting for editions that cannot make it succeed."""
    # forkserver: forking the caller (which may run threads, e.g. a test's web server) can copy a
    # held lock into the worker and hang it. One process per edition: a worker keeps the memory of
    # the largest PDF it typeset, so reusing it would stack two editions' peaks in one process.
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the jobs' modules (the engines: Typst, pandoc, python-docx, pikepdf)
    # once, before its first worker; each worker is a fork of it, where importing them again cost
    # about a fifth of a second an edition. Only the server's first start reads this.
    context.set_forkserver_preload(sorted({job.call.__module__ for job in jobs}))
    outcomes: dict[int, tuple[bool, object]] = {}
    waiting = list(enumerate(jobs))
    running: dict[int, tuple[multiprocessing.Process, Connection, float]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                index, job = waiting.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(
                    target=_work,
                    args=(sender, job.call, job.args, os.getpid(), str(scratch) if scratch else None),
                    daemon=True,
                )
                process.start()
                sender.close()
                running[index] = (process, receiver, time.monotonic())
            wait([receiver for _, receiver, _ in running.values()], timeout=SAMPLE_SECONDS)
            memory = _memory_by_group()
            for index, (process, receiver, started) in list(running.items()):
                if index not in running:  # killed just now: another job of its group failed
                    continue
                limits = jobs[index].limits
                outcome = None
                if receiver.poll():
                    try:
                        outcome = receiver.recv()
                    except EOFError:  # it died without a word: killed from outside, or crashed
                        process.join()
                        outcome = (False, EditionFailure(f"the worker stopped ({_ended(process.exitcode)})"))
                    else:
                        process.join()
                elif time.monotonic() - started > limits.seconds:
                    _kill(process)
                    stopped = f"it was stopped after its time limit of {limits.seconds:.3g} s"
                    outcome = (False, EditionFailure(stopped))
                elif (used := memory.get(process.pid, 0)) > limits.memory:
                    _kill(process)
                    outcome = (
                        False,
                        EditionFailure(
                            f"it was stopped at {used / 2**20:.0f} MB, past its memory limit of "
                            f"{limits.memory / 2**20:.0f} MB"
                        ),
                    )
                if outcome is not None:
                    receiver.close()
                    del running[index]
                    outcomes[index] = outcome
                    if failed is not None and failed(outcome):
                        _end_group(jobs, jobs[index].group, waiting, running, outcomes)
    finally:
        for process, receiver, _ in running.values():
            _kill(process)
            receiver.close()
    return [outcomes[index] for index in range(len(jobs))]


def _end_group(
    jobs: list[Job],
    group: str,
    waiting: list[tuple[int, Job]],
    running: dict[int, tuple[multiprocessing.Process, Connection, float]],
    outcomes: dict[int, tuple[bool, object]],
) -> None:
    """A job of `group` failed: its other jobs are not started, and those running are killed."""
    for index, job in [(index, job) for index, job in waiting if job.group == group]:
        waiting.remove((index, job))
        outcomes[index] = (False, Skipped(group))
    for index in [index for index in running if jobs[index].group == group]:
        process, receiver, _ = running.pop(index)
        _kill(process)
        receiver.close()
        outcomes[index] = (False, Skipped(group))


def _ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by signal {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"
