"""The published site: every edition side by side on the repository's gh-pages branch, kept by mike.

An edge module, the only one that talks to mike. The layout mike keeps (and Material's version
selector reads):

    gh-pages/versions.json      every version, its title and aliases
    gh-pages/index.html         a redirect to latest/
    gh-pages/404.html           the current edition's "page not found", for any missing address
    gh-pages/1.0/, 1.1/, dev/   one built site each (its downloads/ inside)
    gh-pages/latest/            redirect pages to the newest release
    gh-pages/pr/7/              a pull request's preview: not in versions.json, so never in the
                                selector; replaced on every push, removed when it closes
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
from pathlib import Path

from mike import commands as mike
from mike import git_utils

from guidelines.findings import ToolError
from guidelines.project import Project
from guidelines.versions import DEV, LATEST, preview_folder

BRANCH = "gh-pages"


def published_versions(project: Project) -> dict[str, list[str]]:
    """Each published version (released editions and `dev`) with its aliases."""
    with contextlib.chdir(project.root):
        return {str(info.version): sorted(info.aliases) for info in mike.list_versions(BRANCH)}


def publish(project: Project, site_dir: Path, version: str, title: str, *, latest: bool) -> None:
    """Commit a built site to gh-pages as `version/`; a release becomes `latest` and the default.

    A released edition's folder is never replaced: only `dev` may be published again."""
    if version != DEV and version in published_versions(project):
        raise ToolError(
            f"edition {version} is already published on {BRANCH}; a released edition is never replaced"
        )
    config = {"site_dir": str(site_dir), "use_directory_urls": True}
    aliases = [LATEST] if latest else []
    with contextlib.chdir(project.root):
        before = git_utils.get_latest_commit(BRANCH) if git_utils.has_branch(BRANCH) else None
        try:
            with mike.deploy(
                config,
                version,
                title,
                aliases,
                update_aliases=True,
                alias_type=mike.AliasType.redirect,
                branch=BRANCH,
                message=f"Publish edition {version}"
                if version != DEV
                else "Publish the work in progress (dev)",
            ):
                pass  # the site is already built: mike only commits it
            if latest and not _has_root_page():
                mike.set_default(LATEST, branch=BRANCH, message=f"Readers arriving at the site get {LATEST}")
            if latest:
                _root_not_found_page(site_dir / "404.html", version)
        except (git_utils.GitError, ValueError) as error:
            _restore_branch(before)
            raise ToolError(f"could not publish {version} on {BRANCH}: {error}") from None
        except BaseException:
            _restore_branch(before)
            raise


def _root_not_found_page(page: Path, version: str) -> None:
    """A static host answers every missing address of the site with the root's 404.html: the current
    edition's (its links are absolute, so it works from anywhere)."""
    if not page.is_file():
        return
    message = f"Missing pages get edition {version}'s 404 page"
    with git_utils.Commit(BRANCH, message, allow_empty=True) as commit:
        commit.add_file(git_utils.FileInfo("404.html", page.read_bytes()))


def _has_root_page() -> bool:
    try:
        git_utils.file_mode(BRANCH, "index.html")
    except git_utils.GitError:
        return False
    return True


def _restore_branch(ref: str | None) -> None:
    """Put gh-pages back at the commit it had (None: it did not exist) after a failed publication."""
    if ref is None:
        if git_utils.has_branch(BRANCH):
            git_utils.delete_branch(BRANCH)
    else:
        git_utils.update_ref(BRANCH, ref)


def export_published(project: Project, destination: Path) -> None:
    """Write the gh-pages branch's files into `destination` (to serve them, or to test them)."""
    # A fresh clone has the published site only as origin's branch until it is fetched as its own.
    for ref in (BRANCH, f"origin/{BRANCH}"):
        result = subprocess.run(
            ["git", "archive", "--format=tar", ref], cwd=project.root, capture_output=True, check=False
        )
        if result.returncode == 0:
            break
    else:
        raise ToolError(
            f"nothing is published yet: no {BRANCH} branch, here or on origin "
            "(guidelines release or publish-dev makes it; `git fetch origin` gets a published one)"
        )
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(destination, filter="data")


def publish_preview(project: Project, site_dir: Path, number: int) -> str:
    """Commit a pull request's built preview to gh-pages as `pr/<number>/`, replacing the one there:
    one commit that touches nothing else (no released edition, no versions.json). Returns the folder."""
    folder = preview_folder(number)
    if not (site_dir / "index.html").is_file():
        raise ToolError(f"{site_dir} holds no built site (no index.html): build the preview first")
    with contextlib.chdir(project.root):
        try:
            with git_utils.Commit(BRANCH, f"Preview of pull request {number}") as commit:
                commit.delete_files([folder])
                for file in git_utils.walk_real_files(str(site_dir)):
                    commit.add_file(file.copy(folder, str(site_dir)))
        except git_utils.GitEmptyCommit:
            pass  # the same site as the preview there: nothing to commit
        except git_utils.GitError as error:
            raise ToolError(f"could not publish the preview on {BRANCH}: {error}") from None
    return folder


def remove_preview(project: Project, number: int) -> bool:
    """Delete a pull request's preview folder from gh-pages; False if there was none."""
    folder = preview_folder(number)
    with contextlib.chdir(project.root):
        if not git_utils.has_branch(BRANCH):
            return False
        try:
            git_utils.file_mode(BRANCH, folder)
        except git_utils.GitError:
            return False
        try:
            with git_utils.Commit(BRANCH, f"Remove the preview of pull request {number}") as commit:
                commit.delete_files([folder])
        except git_utils.GitError as error:
            raise ToolError(f"could not remove the preview from {BRANCH}: {error}") from None
    return True
