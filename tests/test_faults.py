"""Faults from outside (a signal, a second build, a full or read-only disk, a wrong command) stop a
command promptly, take back what it changed, and say what to do: never a broken file, never lost work."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_EPOCH, copy_fixture, git, init_repository, run_command, site_snapshot

from guidelines.build import CACHE_DIR
from guidelines.lock import project_lock
from guidelines.project import load_project


def start(root: Path, *args: str) -> subprocess.Popen:
    """A `guidelines` command in a session of its own, as a terminal or a CI runner starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "guidelines", *args, "--project", str(root)],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_command(*args, "--project", str(root))


def descendants(pid: int) -> list[int]:
    """Every process started under `pid`, from /proc (a worker's session differs, its parent chain not)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as file:
                    parent = int(file.read().rsplit(b")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pids: list[int], within: float = 2) -> list[str]:
    """The command lines of those processes still running `within` seconds (a zombie is not)."""
    deadline = time.monotonic() + within
    while True:
        alive = []
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat", "rb") as file:
                    if file.read().rsplit(b")", 1)[1].split()[0] != b"Z":
                        alive.append(
                            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
                        )
            except OSError:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def when_editions_run(root: Path, process: subprocess.Popen) -> list[int]:
    """Wait until the build makes its editions (its staging folder has downloads/ and workers run);
    the processes under it then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if list(root.glob(".site-*/downloads")) and len(family := descendants(process.pid)) >= 3:
            return family
        time.sleep(0.05)
    pytest.fail("the build never reached its editions")


@pytest.mark.parametrize(
    ("number", "to_group", "code", "said"),
    [
        (signal.SIGINT, True, 130, "Interrupted."),  # Ctrl+C: the terminal signals the whole group
        (signal.SIGTERM, False, 143, "Stopped."),  # a cancelled CI job, `timeout`
        (signal.SIGHUP, False, 129, "Stopped."),  # a closed terminal
    ],
)
def test_a_build_stopped_by_a_signal_ends_within_two_seconds_and_leaves_the_site_as_it_was(
    built_project, number, to_group, code, said
):
    before = site_snapshot(built_project)
    build = start(built_project, "build", "--no-cache")
    family = when_editions_run(built_project, build)
    sent = time.monotonic()
    os.killpg(build.pid, number) if to_group else build.send_signal(number)
    _, stderr = build.communicate(timeout=30)
    assert time.monotonic() - sent < 2, "took too long to stop"
    assert build.returncode == code, stderr
    assert f"{said} Nothing was changed." in stderr
    assert "bug in the toolkit" not in stderr
    assert running(family) == []
    assert list(built_project.glob(".site-*")) == []
    assert site_snapshot(built_project) == before


def test_a_build_killed_outright_leaves_no_worker_and_the_next_build_clears_its_leftovers(built_project):
    build = start(built_project, "build", "--no-cache")
    family = when_editions_run(built_project, build)
    build.kill()
    build.communicate(timeout=30)
    assert running(family) == []
    assert list(built_project.glob(".site-*"))  # what a kill leaves: the staging folder, with downloads
    (built_project / ".site-old-12345" / "downloads").mkdir(parents=True)  # and a half-swapped site

    result = run(built_project, "build", "--quiet")

    assert result.returncode == 0, result.stderr
    assert list(built_project.glob(".site-*")) == []


def test_a_second_build_in_the_same_folder_is_refused_while_the_first_runs(fixture_project):
    with project_lock(load_project(fixture_project), "build"):  # held by this process: another asks
        result = subprocess.run(
            [sys.executable, "-m", "guidelines", "build", "--quiet", "--project", str(fixture_project)],
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert result.returncode == 6
    assert "busy: another build (process " in result.stderr
    assert "is running in" in result.stderr and "wait for it to finish" in result.stderr
    assert not (fixture_project / "site").exists()


def _tmpfs(folder: Path, size: str) -> Path:
    folder.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]).returncode
    ):
        pytest.skip("mounting a small disk needs root")
    return folder


def test_a_full_disk_or_a_read_only_one_is_the_users_to_fix_not_a_bug(built_fixture, tmp_path, monkeypatch):
    # Room for the text, the edition cache and the editions taken from it, not for the site.
    disk = _tmpfs(tmp_path / "disk", "2m")
    try:
        root = copy_fixture(disk)
        shutil.copytree(built_fixture / CACHE_DIR, root / CACHE_DIR)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)  # dated as the cache's editions
        full = run(root, "build", "--quiet")
        assert full.returncode == 3, full.stderr
        assert "the disk is full; free some space, then run the command again" in full.stderr
        assert "bug in the toolkit" not in full.stderr and "Traceback" not in full.stderr
        assert list(root.glob(".site-*")) == [] and not (root / "site").exists()

        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        read_only = run(root, "build", "--quiet")
        assert read_only.returncode == 3, read_only.stderr
        assert "the folder is on a read-only disk" in read_only.stderr
        assert "bug in the toolkit" not in read_only.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_release_without_notes_off_a_terminal_is_a_usage_error(fixture_project):
    init_repository(fixture_project)
    result = run(fixture_project, "release", "1.0")  # its input is no terminal
    assert result.returncode == 2
    assert "Usage: " in result.stderr and "--notes or --notes-file" in result.stderr
    assert git(fixture_project, "tag", "--list") == ""


def test_a_notes_file_not_in_utf8_is_refused_at_its_line(fixture_project, tmp_path):
    init_repository(fixture_project)
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"Pirmais izdevums.\nLabots: " + "ūdens".encode("cp1257") + b"\n")
    result = run(fixture_project, "release", "1.0", "--notes-file", str(notes))
    assert result.returncode == 1
    assert f"{notes}:2: ENCODING the file is not valid UTF-8 (hint: save the file as UTF-8)" in result.stderr
    assert git(fixture_project, "tag", "--list") == ""
    assert not (fixture_project / "CHANGELOG.md").exists()


@pytest.mark.slow  # builds the fixture's editions
def test_a_release_stopped_by_sigterm_takes_everything_back(fixture_project):
    init_repository(fixture_project)
    head = git(fixture_project, "rev-parse", "HEAD")
    release = start(fixture_project, "release", "1.0", "--notes", "First.")
    deadline = time.monotonic() + 120
    while (
        not list((fixture_project / ".cache").glob("release-*/.site-*/downloads"))
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)  # until it builds (CHANGELOG.md has its entry then)
    release.send_signal(signal.SIGTERM)
    _, stderr = release.communicate(timeout=30)
    assert release.returncode == 143, stderr
    assert git(fixture_project, "rev-parse", "HEAD") == head
    assert git(fixture_project, "tag", "--list") == ""
    assert git(fixture_project, "status", "--porcelain") == ""  # CHANGELOG.md as it was
    assert list((fixture_project / ".cache").glob("release-*")) == []
    assert git(fixture_project, "branch", "--list", "gh-pages") == ""


def test_a_release_taken_back_keeps_an_editors_uncommitted_edit(release_cached_project, monkeypatch):
    import guidelines.release as releasing
    from guidelines.findings import ToolError

    fixture_project = release_cached_project
    head = git(fixture_project, "rev-parse", "HEAD")
    chapter = fixture_project / "docs" / "en" / "02-premises.md"
    edited = chapter.read_text(encoding="utf-8") + "\nA sentence the editor is still writing.\n"

    def publish_failing_after_an_edit(*args, **options):
        chapter.write_text(edited, encoding="utf-8")  # the editor goes on working during the release
        raise ToolError("could not publish: the network is down")

    monkeypatch.setattr(releasing, "publish", publish_failing_after_an_edit)
    with pytest.raises(ToolError, match="network is down"):
        releasing.release(load_project(fixture_project), "1.0", "First.")
    assert git(fixture_project, "rev-parse", "HEAD") == head
    assert git(fixture_project, "tag", "--list") == ""
    assert chapter.read_text(encoding="utf-8") == edited
    assert git(fixture_project, "status", "--porcelain") == " M docs/en/02-premises.md\n"
    assert not (fixture_project / "CHANGELOG.md").exists()


def test_leftovers_are_only_what_a_build_names_as_its_own(fixture_project):
    keep = fixture_project / "site-notes"
    keep.mkdir()
    shutil.copy(fixture_project / "mkdocs.yml", keep / "mkdocs.yml")
    from guidelines.build import remove_leftovers

    (fixture_project / ".site-abcd1234" / "downloads").mkdir(parents=True)
    remove_leftovers(fixture_project / "site")
    assert not (fixture_project / ".site-abcd1234").exists()
    assert (keep / "mkdocs.yml").is_file()


def test_a_fresh_clone_serves_what_origin_has_published(fixture_project, tmp_path):
    from guidelines.deploy import export_published

    init_repository(fixture_project)
    git(fixture_project, "checkout", "--quiet", "--orphan", "gh-pages")
    git(fixture_project, "rm", "--quiet", "-r", "--cached", ".")
    (fixture_project / "versions.json").write_text("[]\n", encoding="utf-8")
    git(fixture_project, "add", "versions.json")
    git(fixture_project, "commit", "--quiet", "--message", "Published")
    git(fixture_project, "checkout", "--quiet", "--force", "main")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(fixture_project), str(clone)], check=True)
    assert git(clone, "branch", "--list", "gh-pages") == ""  # only origin/gh-pages

    export_published(load_project(clone), tmp_path / "served")

    assert (tmp_path / "served" / "versions.json").read_text(encoding="utf-8") == "[]\n"


def test_a_release_killed_between_tagging_and_publishing_is_explained_and_can_be_finished(
    release_cached_project, monkeypatch
):
    import guidelines.release as releasing
    from guidelines.deploy import export_published

    fixture_project = release_cached_project
    built: dict[str, str] = {}

    def killed_before_publishing(project, site_dir, *args, **options):
        built["sums"] = (site_dir / "downloads" / "SHA256SUMS").read_text(encoding="utf-8")
        raise KeyboardInterrupt  # where a kill -9 would end it

    monkeypatch.setattr(releasing, "publish", killed_before_publishing)
    monkeypatch.setattr(releasing, "_take_back", lambda *args: None)  # a kill takes nothing back
    with pytest.raises(KeyboardInterrupt):
        releasing.release(load_project(fixture_project), "1.0", "First.")
    monkeypatch.undo()
    assert git(fixture_project, "tag", "--list") == "v1.0\n"

    again = run(fixture_project, "release", "1.0", "--notes", "First.")
    assert again.returncode == 5
    assert "edition 1.0 is tagged (v1.0" in again.stderr and "was never published" in again.stderr
    assert "guidelines release 1.0 --finish" in again.stderr

    finished = run(fixture_project, "release", "1.0", "--finish")
    assert finished.returncode == 0, finished.stderr
    published = fixture_project.parent / "published"
    export_published(load_project(fixture_project), published)
    assert (published / "1.0" / "downloads" / "SHA256SUMS").read_text(encoding="utf-8") == built["sums"]
    assert git(fixture_project, "worktree", "list").count("\n") == 1  # its checkout removed
    assert git(fixture_project, "status", "--porcelain") == ""


@pytest.mark.slow  # builds the fixture's editions
def test_a_languages_first_failed_edition_ends_its_other_editions_and_the_others_finish(
    fixture_project, monkeypatch
):
    from guidelines import toolkit_fingerprint
    from guidelines.build import CACHE_DIR, build
    from guidelines.content import load_content
    from guidelines.editions.document import build_source
    from guidelines.editions.forms import form_sources
    from guidelines.findings import FindingsError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764979200")
    # A picture the checks accept but Typst cannot read: the Latvian PDF, the first Latvian edition
    # to run (PDFs first, one at a time), fails; the Latvian DOCX, EPUB and form would be made.
    (fixture_project / "docs/lv/images/broken.png").write_bytes(b"not a picture")
    page = fixture_project / "docs/lv/02-premises.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![Bojāts attēls](images/broken.png)\n", "utf-8")
    project = load_project(fixture_project)

    with pytest.raises(FindingsError) as failed:
        build(project, jobs=1)

    (finding,) = failed.value.findings  # the Latvian PDF's failure, and nothing else
    assert finding.format().startswith("docs/lv/02-premises.md:24: EDITION the lv PDF could not be made: ")
    content, _ = load_content(project)
    made = {path.name for path in (fixture_project / CACHE_DIR).iterdir()}
    fingerprint = toolkit_fingerprint()
    for language in ("en", "lv", "lt"):
        sources = [(build_source(content, language), ("pdf", "docx", "epub"))]
        sources += [(form, ("pdf", "docx")) for form in form_sources(content, language)]
        files = {
            f"{source.digest(fingerprint, fmt.encode())}.{fmt}"
            for source, formats in sources
            for fmt in formats
        }
        assert len(files) == 5
        # English and Lithuanian: every file made and cached for the next build; Latvian: none.
        assert (files <= made) if language != "lv" else not (files & made), language
    assert not (fixture_project / "site").exists() and not list(fixture_project.glob(".site-*"))
