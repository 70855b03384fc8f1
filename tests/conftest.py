"""Shared fixtures: a fresh copy of the tiny fixture project, and one build of it for the whole test run
(copied, with its edition cache, for the tests that build again)."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from guidelines.build import CACHE_DIR, build, check_content
from guidelines.cli import main
from guidelines.project import load_project
from guidelines.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "project"
BROWSER_TESTS = "tests/browser/"  # as pytest names them, from the project's root

# What makes a test slow (seconds to minutes): a build of the fixture with its editions, a release,
# a browser. `make test-fast` leaves those out; `make test` (what CI runs) runs everything.
SLOW_FIXTURES = {
    "built_fixture",
    "built_project",
    "cached_project",
    "released_repository",
    "release_cached_project",
    "stress_project",
    "commonmark_build",
    "browser",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.nodeid.startswith(BROWSER_TESTS):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: a run without it skips this
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Under `--dist loadfile`, the browser's test files are one unit of work: one process runs them,
    one after the other, and while its Chromium waits for a page, the other processes use the cores.
    Measured on two cores, `make test` took 185-193 s with this in two processes, 156-163 s in three
    (the Makefile's), where each file on its own took 198-202 s in two and 191 s in three: two
    Chromiums at once cost the machine a tenth to a fifth more CPU."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(BROWSER_TESTS):
                return BROWSER_TESTS
            return super()._split_scope(nodeid)

    return BrowserFilesTogether(config, log)


# Generated-input tests draw the same examples on every run, so CI's verdict depends on the code
# alone; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) explores new random inputs, many more of them.
settings.register_profile("default", max_examples=40, derandomize=True, database=None)
settings.register_profile("fuzz", max_examples=1000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def copy_fixture(destination: Path) -> Path:
    target = destination / "project"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site", ".cache", ".site-*"))
    return target


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/project."""
    return copy_fixture(tmp_path)


# The moment the built fixture and the builds of its copies are dated with (the fixture is no git
# repository: it would be dated today). The same date gives the same edition, so a copy's build finds
# the built fixture's editions in the cache, even when the test run passes midnight.
FIXTURE_EPOCH = "1764979200"


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Path:
    """`make(folder)`, once per test run. Under pytest-xdist every worker is a session of its own: the
    first to get here makes it in the run's common temporary folder, holding a lock, and the others
    wait for it, then read what it made."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp(name))
    common = tmp_path_factory.getbasetemp().parent
    folder, made = common / name, common / f"{name}.made"
    with open(common / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.is_file():  # a worker that failed to make it left no record: make it again
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            made.write_text(str(make(folder)), encoding="utf-8")
    return Path(made.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project after one `guidelines build`, the only full build of it in a test run;
    tests only read it. Its edition cache (.cache/editions) is what the copies below start from."""

    def make(folder: Path) -> Path:
        root = copy_fixture(folder)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
            build(load_project(root))
        return root

    return made_once(tmp_path_factory, "built", make)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def init_repository(root: Path) -> None:
    """Make the project a git repository of its own, everything committed."""
    git(root, "init", "--quiet", "--initial-branch", "main")
    git(root, "config", "user.name", "Test Editor")
    git(root, "config", "user.email", "editor@example.org")
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "The guidelines")


EDITED_CHAPTER = "02-premises.md"
EDITED_TRANSLATION = "01-first-steps.md"


@pytest.fixture(scope="session")
def released_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project in a git repository of its own: edition 1.0 released, one chapter edited
    in English, another and a glossary definition in Latvian only, edition 1.1 released, then the
    work in progress published as dev."""
    return made_once(tmp_path_factory, "released", make_released_repository)


def make_released_repository(folder: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)  # see release_cached_project
        return _make_released_repository(folder)


def _make_released_repository(folder: Path) -> Path:
    from guidelines.release import publish_dev, release

    root = copy_fixture(folder)
    init_repository(root)
    release(load_project(root), "1.0", "The first edition.")
    chapter = root / "docs" / "en" / EDITED_CHAPTER
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("its corridors are wide", "its corridors are usually wide"), encoding="utf-8"
    )
    latvian = root / "docs" / "lv" / EDITED_TRANSLATION
    latvian.write_text(latvian.read_text(encoding="utf-8") + "\nVēl viens teikums.\n", encoding="utf-8")
    glossary = root / "docs" / "glossary.yml"  # a Latvian definition: the Latvian glossary page changes
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(
        text.replace("ļauj tuviniekiem atpūsties", "ļauj tuviniekiem uz laiku atpūsties"), encoding="utf-8"
    )
    git(root, "commit", "--quiet", "--all", "--message", "Premises: say that corridors are usually wide")
    release(load_project(root), "1.1", "Clarified the premises chapter.")
    publish_dev(load_project(root))
    return root


def edition_file(site_dir: Path, language: str, extension: str) -> Path:
    """The one download of a language and format: `guidelines-<lang>-<version>-<date>.<ext>`."""
    (path,) = (site_dir / "downloads").glob(f"guidelines-{language}-0.9-*.{extension}")
    return path


@pytest.fixture
def built_project(built_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture after a good build: its site/ is what a failed or refused build
    must leave alone; its edition cache lets a build (in the test or a process it starts, dated as
    the built fixture) typeset only the editions the test changed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    target = tmp_path / "project"
    shutil.copytree(built_fixture, target)
    return target


@pytest.fixture
def cached_project(built_fixture: Path, fixture_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture, never built, with the built fixture's edition cache: a build
    (dated as the built fixture) typesets only the editions whose text the test changed and reuses the
    others. The cache's key is everything an edition is made from, so a reused file is the one a
    fresh build would make."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    shutil.copytree(built_fixture / CACHE_DIR, fixture_project / CACHE_DIR)
    return fixture_project


@pytest.fixture
def release_cached_project(
    released_repository: Path, fixture_project: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A writable copy of the fixture in a git repository of its own, never released, with the
    edition cache of the released repository, whose edition 1.0 is this text released at the same
    moment: `release 1.0` here (dated as that one) typesets nothing and reuses those files."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    init_repository(fixture_project)
    shutil.copytree(released_repository / CACHE_DIR, fixture_project / CACHE_DIR)
    return fixture_project


def build_site_only(root: Path) -> Path:
    """What `guidelines build` makes of the project's pages, without its editions (the download
    tables left empty): the same checks first, then the same MkDocs build into site/. For tests that
    read only the pages."""
    project = load_project(root)
    check_content(project)
    build_site(project, project.site_dir, None)
    return project.site_dir


def run_command(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`guidelines ARGUMENTS` run by the command line's own code in this process, with its messages
    and exit code as a process of its own gives them, an uncaught exception as its traceback. A new
    Python process loads the toolkit again each time: a refused build cost 0.45 CPU-s that way, 0.08
    here. The tests of the process itself (its entry point, its signals, a second process on the
    project) start one. `env`: variables set for the command alone."""
    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    handlers = {number: signal.getsignal(number) for number in stop_signals}
    try:  # the command's own handlers would outlive it in this process
        result = CliRunner().invoke(main, list(arguments), env=env)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["guidelines", *arguments], result.exit_code, result.stdout, stderr)


def run_build(root: Path) -> subprocess.CompletedProcess:
    """`guidelines build` as an editor runs it (run_command)."""
    return run_command("build", "-C", str(root))


def site_snapshot(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {
        path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()
    }


def docx_as_pdf(source: Path, folder: Path) -> Path:
    """The DOCX opened and saved as PDF by LibreOffice, as a reader's office suite would open it."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.fail("LibreOffice is not installed: run `make test`, which installs libreoffice-writer-nogui")
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = folder / source.with_suffix(".pdf").name
    assert result.returncode == 0 and converted.is_file(), result.stderr
    return converted
