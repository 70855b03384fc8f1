"""No text makes an engine run for ever or take the machine's memory: every pandoc run and every
edition's process has a time and a memory limit, and one that passes it is stopped and named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from guidelines import pandoc
from guidelines.editions import EditionFailure
from guidelines.editions.workers import Job, Limits, Skipped, run_jobs
from guidelines.findings import ToolError

# Nested brackets read as Markdown: pandoc's reader takes time and memory exponential in the depth.
RUNAWAY = "[" * 300 + "x" + "]" * 300


def test_a_pandoc_run_past_its_time_limit_is_stopped(monkeypatch):
    monkeypatch.setattr(pandoc, "BASE_SECONDS", 1)
    monkeypatch.setattr(pandoc, "SECONDS_PER_CHARACTER", 0)
    monkeypatch.setattr(pandoc, "BASE_HEAP", 20 * 2**30)
    start = time.monotonic()
    with pytest.raises(ToolError, match=r"pandoc \(html\) was stopped after its time limit of 1 s"):
        pandoc.run_pandoc(RUNAWAY, "html", reader="markdown")
    assert time.monotonic() - start < 5


def test_a_pandoc_run_past_its_memory_limit_is_stopped(monkeypatch):
    monkeypatch.setattr(pandoc, "BASE_HEAP", 64 * 2**20)
    monkeypatch.setattr(pandoc, "HEAP_PER_CHARACTER", 0)
    with pytest.raises(ToolError, match=r"pandoc \(html\) was stopped at its memory limit of 64 MB"):
        pandoc.run_pandoc(RUNAWAY, "html", reader="markdown")


def test_limits_grow_with_the_text():
    small, large = Limits.for_text(1_000), Limits.for_text(1_000_000)
    assert small.seconds < large.seconds and small.memory < large.memory
    assert pandoc.limits_for(1_000) < pandoc.limits_for(1_000_000)


def _running(pid: int) -> bool:
    """Whether the process is still alive a second later (a zombie waiting to be collected is not)."""
    deadline = time.monotonic() + 1
    while True:
        try:
            with open(f"/proc/{pid}/stat", "rb") as file:
                alive = file.read().rsplit(b")", 1)[1].split()[0] != b"Z"
        except FileNotFoundError:
            alive = False
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _sleep_with_a_child(seconds: float, pid_file: str) -> str:
    child = subprocess.Popen(["sleep", str(seconds)])
    with open(pid_file, "w") as file:
        file.write(str(child.pid))
    time.sleep(seconds)
    return "slept"


def _hold_memory(megabytes: int) -> str:
    held = bytearray(megabytes * 2**20)
    for offset in range(0, len(held), 4096):  # touch every page, so it is resident
        held[offset] = 1
    time.sleep(30)
    return "held"


def _quick(value: str) -> str:
    return value


def _fail(message: str) -> str:
    raise ToolError(message)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def test_a_failure_ends_its_groups_other_jobs_and_the_run_ends_once_every_group_is_decided():
    limits = Limits(seconds=120, memory=2**30)
    start = time.monotonic()
    outcomes = run_jobs(
        [
            Job(_sleep, (60,), limits, group="en"),  # running when its group fails: killed
            Job(_fail, ("no font",), limits, group="en"),
            Job(_quick, ("made",), limits, group="lv"),  # another group: runs to the end
            Job(_quick, ("never",), limits, group="en"),  # waiting when its group fails: never started
            Job(_sleep, (1,), limits, group="lv"),
        ],
        workers=2,
        failed=lambda outcome: not outcome[0],
    )
    assert time.monotonic() - start < 30  # not the 60 s the first job would take
    running, failure, made, waiting, slept = outcomes
    assert running == waiting == (False, Skipped("en"))
    assert not failure[0] and str(failure[1]) == "no font"
    assert made == (True, "made") and slept == (True, "slept")


def test_without_a_judge_of_failures_every_job_runs():
    limits = Limits(seconds=60, memory=2**30)
    jobs = [Job(_fail, ("no font",), limits, group="en"), Job(_quick, ("made",), limits, group="en")]
    (failed, _), made = run_jobs(jobs, workers=1)
    assert not failed and made == (True, "made")


def test_an_edition_past_its_time_limit_is_stopped_with_everything_it_started(tmp_path):
    pid_file = tmp_path / "child"
    start = time.monotonic()
    outcomes = run_jobs(
        [
            Job(_sleep_with_a_child, (60, str(pid_file)), Limits(seconds=1.5, memory=2**30)),
            Job(_quick, ("done",), Limits(seconds=10, memory=2**30)),
        ],
        workers=2,
    )
    assert time.monotonic() - start < 8
    (made, failure), second = outcomes
    assert not made and isinstance(failure, EditionFailure)
    assert failure.message == "it was stopped after its time limit of 1.5 s"
    assert second == (True, "done")
    child = int(pid_file.read_text())
    assert not _running(child)


def test_an_edition_past_its_memory_limit_is_stopped():
    ((made, failure),) = run_jobs([Job(_hold_memory, (400,), Limits(seconds=60, memory=300 * 2**20))], 1)
    assert not made
    assert failure.message.startswith("it was stopped at ")
    assert failure.message.endswith("past its memory limit of 300 MB")


def test_an_interrupted_run_kills_its_editions_at_once(tmp_path, monkeypatch):
    import guidelines.editions.workers as workers

    pid_file = tmp_path / "child"
    real_wait = workers.wait

    def interrupted_once_started(connections, timeout):
        if pid_file.exists() and pid_file.read_text():
            raise KeyboardInterrupt
        return real_wait(connections, timeout)

    monkeypatch.setattr(workers, "wait", interrupted_once_started)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_jobs([Job(_sleep_with_a_child, (60, str(pid_file)), Limits(seconds=600, memory=2**30))], 1)
    assert time.monotonic() - start < 10
    child = int(pid_file.read_text())
    assert not _running(child)
    assert os.getpid()  # the test's own process is untouched


def test_an_edition_past_its_limit_stops_the_build_with_a_finding_and_changes_nothing(
    built_project, monkeypatch
):
    from conftest import site_snapshot

    import guidelines.editions.workers as workers
    from guidelines.build import build
    from guidelines.findings import FindingsError
    from guidelines.project import load_project

    before = site_snapshot(built_project)
    # No edition is made that fast, however idle the machine (a DOCX of the fixture takes about 0.5 s).
    monkeypatch.setattr(workers, "BASE_SECONDS", 0.05)
    monkeypatch.setattr(workers, "SECONDS_PER_CHARACTER", 0)
    with pytest.raises(FindingsError) as stopped:
        build(load_project(built_project), use_cache=False)
    messages = {finding.format() for finding in stopped.value.findings}
    assert (
        "docs/lv: EDITION the lv PDF could not be made: it was stopped after its time limit of 0.05 s"
        in messages
    )
    # Every language's failure, in one run: its first edition (the PDFs run first) fails, and the
    # language's other editions, which could not make the build succeed, are not made at all.
    assert sorted(messages) == [
        f"docs/{language}: EDITION the {language} PDF could not be made: it was stopped after its "
        "time limit of 0.05 s"
        for language in ("en", "lt", "lv")
    ]
    assert site_snapshot(built_project) == before
    assert list(built_project.glob(".site-*")) == []


def _temporary_folder() -> str:
    with tempfile.TemporaryDirectory() as folder:
        return folder


def test_an_editions_temporary_files_go_where_the_build_clears_them(tmp_path):
    ((made, folder),) = run_jobs([Job(_temporary_folder, (), Limits(seconds=30, memory=2**30))], 1, tmp_path)
    assert made and Path(folder).parent == tmp_path


def test_pandoc_killed_by_a_signal_says_which(monkeypatch, tmp_path):
    killed = tmp_path / "pandoc"
    killed.write_text("#!/bin/sh\nkill -KILL $$\n", encoding="utf-8")
    killed.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(killed))
    with pytest.raises(ToolError, match=r"^pandoc \(html\) was killed by signal SIGKILL$"):
        pandoc.run_pandoc("<p>Text.</p>", "html")


def test_the_jobs_modules_are_imported_once_by_the_fork_server_not_by_each_worker(tmp_path):
    """Each edition's worker is a fork of a server that imported the jobs' modules (the engines)
    before its first worker: importing them in every worker cost about a fifth of a second each.
    In a process of its own, as the server reads what to import only when it starts."""
    (tmp_path / "recorder.py").write_text(
        "import os\nIMPORTED_BY = os.getpid()\n\ndef who():\n    return IMPORTED_BY, os.getpid()\n",
        encoding="utf-8",
    )
    script = (
        "import json\n"
        "import recorder\n"
        "from guidelines.editions.workers import Job, Limits, run_jobs\n"
        "if __name__ == '__main__':\n"
        "    jobs = [Job(recorder.who, (), Limits(60, 1 << 30)) for _ in range(2)]\n"
        "    print(json.dumps([result for made, result in run_jobs(jobs, 2) if made]))\n"
    )
    # PYTHONPATH, not sys.path: the server is a new interpreter, which reads the environment.
    environment = dict(os.environ, PYTHONPATH=str(tmp_path))
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment)
    (imported_by, first_worker), (imported_by_too, second_worker) = json.loads(ran.stdout or "[]")
    assert imported_by == imported_by_too  # the server, before either worker
    assert imported_by not in {first_worker, second_worker}
