"""`guidelines release 1.1` and `guidelines publish-dev`: record an edition, build it, publish it.

A release is refused, before anything changes, when the working tree has uncommitted changes
(the edition would not be the recorded text), when the edition exists (a released edition never
changes), or when the number is not newer than the last edition. Otherwise, in this order:

1. the checks run (errors stop the release);
2. CHANGELOG.md gets the edition's entry: its number, date, the editor's notes and the pages changed;
3. the site and every download are built as that edition (its number and date in the file names
   and on the title pages) into a folder of their own;
4. CHANGELOG.md is committed and the commit tagged `v1.1`, dated like the editions;
5. the built site is published on gh-pages as `1.1/`, `latest` points at it.

If 3, 4 or 5 fails, what the earlier steps changed is taken back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from guidelines import git
from guidelines.build import CACHE_DIR, build
from guidelines.changelog import CHANGELOG, add_entry
from guidelines.changes import compare_language, page_reader, page_title, texts_since
from guidelines.deploy import BRANCH, publish, published_versions
from guidelines.editions.cache import fault
from guidelines.editions.manifest import MANIFEST, read_manifest
from guidelines.findings import ReleaseRefused, ToolError
from guidelines.lock import project_lock
from guidelines.progress import Progress
from guidelines.project import Project, epoch_from_environment, load_project
from guidelines.versions import DEV, Version, released_versions


@dataclass(frozen=True)
class Release:
    version: Version
    date: str
    commit: str
    changed_pages: list[str]  # as listed in CHANGELOG.md


def check_can_release(project: Project, text: str) -> Version:
    """The edition number, if a release of it may start; ReleaseRefused says why not."""
    try:
        version = Version.parse(text)
    except ValueError as error:
        raise ReleaseRefused(str(error)) from None
    if not git.is_repository(project.root):
        raise ReleaseRefused(
            f"{project.display(project.root)} is not a git repository: an edition is a git tag"
        )
    released = released_versions(project.root)
    existing = next((released_version for released_version in released if released_version == version), None)
    if existing is not None and str(existing) not in published_versions(project):
        raise ReleaseRefused(
            f"edition {existing} is tagged ({existing.tag}, {git.tag_date(project.root, existing.tag)}) but "
            "was never published: its release stopped between tagging and publishing. Publish the "
            f"tagged text with `guidelines release {existing} --finish`, or remove the tag with "
            f"`git tag --delete {existing.tag}` (and its commit, if it is the last one, with "
            "`git reset --keep HEAD~1`)"
        )
    if existing is not None:  # 1.1.0 is edition 1.1
        date = git.tag_date(project.root, existing.tag)
        raise ReleaseRefused(
            f"edition {existing} exists (tag {existing.tag}, {date}); a released edition is never changed. "
            "Release a newer number for the corrections."
        )
    if missing := git.published_commits_missing(project.root, BRANCH):
        raise ReleaseRefused(
            f"origin/{BRANCH} has {missing} published commit(s) this clone's {BRANCH} branch lacks; "
            f"run `git fetch origin {BRANCH}:{BRANCH}` first, so no published edition is lost"
        )
    if str(version) in published_versions(project):
        raise ReleaseRefused(f"edition {version} is already published on the {BRANCH} branch")
    if released and version < released[-1]:
        raise ReleaseRefused(f"{version} is not newer than {released[-1]}, the last edition")
    dirty = git.uncommitted_files(project.root)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise ReleaseRefused(
            f"the working tree has uncommitted changes ({shown}); commit or discard them first, so the "
            "edition is exactly the recorded text"
        )
    return version


def changed_pages(project: Project, previous: Version | None) -> list[str]:
    """The pages whose text changed since the previous edition, by their source-language title;
    a page changed only in some translations names them: "Governance (lv, lt)"."""
    if previous is None:
        return []
    source = project.source_language.code
    by_page: dict[str, list[str]] = {}
    for language in project.languages:
        for change in compare_language(
            texts_since(project, language.code, previous.tag), page_reader(project, language.code)
        ):
            by_page.setdefault(change.name, []).append(language.code)
    source_dir = project.language_dir(source)
    listed = []
    for entry in project.nav:
        languages = by_page.get(entry.file)
        if languages:
            only = "" if source in languages else f" ({', '.join(languages)})"
            path = source_dir / entry.file
            title = page_title(path.read_text(encoding="utf-8")) if path.is_file() else entry.file
            listed.append((title or entry.file) + only)
    return listed


def release(
    project: Project, text: str, notes: str, *, jobs: int | None = None, progress: Progress | None = None
) -> Release:
    with project_lock(project, "release"):
        return _release(project, text, notes, jobs, progress)


def _release(project: Project, text: str, notes: str, jobs: int | None, progress: Progress | None) -> Release:
    progress = progress or Progress()
    version = check_can_release(project, text)
    if not notes.strip():
        raise ReleaseRefused("the changelog entry is empty: say what this edition changes")
    released = released_versions(project.root)
    timestamp = release_moment()
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    changelog = project.root / CHANGELOG
    before = changelog.read_bytes() if changelog.exists() else None
    changed = changed_pages(project, released[-1] if released else None)
    changelog.write_text(
        add_entry(before.decode("utf-8") if before else "", version, date, notes, changed), encoding="utf-8"
    )
    commit = None
    work = _work_dir(project, "release")
    try:
        with _dated(timestamp):
            _build_to_publish(project, work / "site", str(version), jobs=jobs, progress=progress)
        with progress.step(f"record: commit CHANGELOG.md, tag {version.tag}"):
            commit = git.commit_files(
                project.root, [changelog], f"Edition {version}\n\n{notes.strip()}\n", timestamp
            )
            git.annotated_tag(
                project.root, version.tag, f"Edition {version} ({date})\n\n{notes.strip()}\n", timestamp
            )
        with progress.step(f"publish: {BRANCH} {version}/ and latest"):
            publish(project, work / "site", str(version), str(version), latest=True)
    except BaseException:
        _take_back(project, changelog, before, commit, version)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Release(version, date, commit, changed)


def release_moment() -> int:
    """When a release happens, the moment its tag, its commit and its files carry: now, or
    SOURCE_DATE_EPOCH where it is set (a pipeline that fixes it gets the same files on every run)."""
    epoch = epoch_from_environment()
    return int(time.time()) if epoch is None else epoch


def finish_release(
    project: Project, text: str, *, jobs: int | None = None, progress: Progress | None = None
) -> Version:
    """Publish an edition that was tagged but never published (its release was killed in between):
    built from the tagged commit, in a checkout of its own, so the files are those of the tag."""
    progress = progress or Progress()
    with project_lock(project, "release"):
        try:
            version = Version.parse(text)
        except ValueError as error:
            raise ReleaseRefused(str(error)) from None
        if version not in released_versions(project.root):
            raise ReleaseRefused(f"there is no tag {version.tag} to finish; release it with notes instead")
        if str(version) in published_versions(project):
            raise ReleaseRefused(f"edition {version} is already published on the {BRANCH} branch")
        work = _work_dir(project, "release")
        checkout = work / "checkout"
        try:
            git.git(project.root, "worktree", "add", "--quiet", "--detach", str(checkout), version.tag)
            # Dated by its commit, as the release dated its files; the editions the killed release
            # made are in the project's cache, keyed by what they are made from: reused, not typeset.
            tagged = load_project(checkout, project.config_file)
            _build_to_publish(
                tagged,
                work / "site",
                str(version),
                jobs=jobs,
                progress=progress,
                cache_dir=project.root / CACHE_DIR,
            )
            newest = max(released_versions(project.root)) == version
            with progress.step(f"publish: {BRANCH} {version}/" + (" and latest" if newest else "")):
                publish(project, work / "site", str(version), str(version), latest=newest)
        finally:
            with contextlib.suppress(ToolError):
                git.git(project.root, "worktree", "remove", "--force", str(checkout))
            shutil.rmtree(work, ignore_errors=True)
    return version


def _build_to_publish(
    project: Project,
    site: Path,
    published_as: str,
    *,
    jobs: int | None,
    progress: Progress,
    cache_dir: Path | None = None,
) -> None:
    """The site and files as they will be published under `published_as` (an edition's number, built
    as that edition, or dev), every download then checked against its manifest."""
    version = None if published_as == DEV else published_as
    build(
        project,
        jobs=jobs,
        progress=progress,
        version=version,
        published_as=published_as,
        site_dir=site,
        cache_dir=cache_dir,
    )
    verify_downloads(site)


def verify_downloads(site: Path) -> None:
    """Every download about to be published is the file its manifest lists, and opens: a released
    edition is never replaced, so a damaged one must not get out."""
    downloads = site / "downloads"
    for edition in read_manifest(downloads / MANIFEST):
        if reason := fault(downloads / edition.file, edition.format, edition.sha256):
            raise ToolError(f"the built {edition.file} is damaged ({reason}); release again")


def publish_dev(project: Project, *, jobs: int | None = None, progress: Progress | None = None) -> None:
    """Build the work in progress and publish it as `dev`, next to the released editions."""
    progress = progress or Progress()
    with project_lock(project, "publish-dev"):
        work = _work_dir(project, "publish")
        try:
            _build_to_publish(project, work / "site", DEV, jobs=jobs, progress=progress)
            with progress.step(f"publish: {BRANCH} {DEV}/"):
                publish(project, work / "site", DEV, f"{DEV} (work in progress)", latest=False)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _work_dir(project: Project, purpose: str) -> Path:
    """A folder for one build to be published, inside the project's (ignored) cache."""
    cache = project.root / ".cache"
    cache.mkdir(exist_ok=True)
    for leftover in [*cache.glob("release-*"), *cache.glob("publish-*")]:  # of a killed release
        shutil.rmtree(leftover, ignore_errors=True)  # (the caller holds the project's lock)
    return Path(tempfile.mkdtemp(prefix=f"{purpose}-", dir=cache))


@contextlib.contextmanager
def _dated(timestamp: int) -> Iterator[None]:
    """Date the outputs built inside with the release's moment (SOURCE_DATE_EPOCH), as its tag is."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(timestamp)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _take_back(
    project: Project, changelog: Path, before: bytes | None, commit: str | None, version: Version
) -> None:
    """Undo a release that failed part way: no tag, no commit, CHANGELOG.md as it was."""
    try:
        if version.tag in git.tags(project.root, version.tag):
            git.delete_tag(project.root, version.tag)
        if commit is not None:
            git.undo_last_commit(project.root, commit)
    except ToolError:
        return  # git refused (CHANGELOG.md edited meanwhile?): leave the editor's file as it is
    if before is None:
        changelog.unlink(missing_ok=True)
    else:
        changelog.write_bytes(before)
