"""The few questions the toolkit asks git, and the commits and tags a release makes.

An edge module: everything here runs `git` in the project's folder; nothing else runs git for releases.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from guidelines.findings import ToolError


class GitError(ToolError):
    """git failed, or the project is not in a git repository."""


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        )
    except OSError as error:
        raise GitError(f"git could not run: {error}") from None
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout


def is_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitError:
        return False


def uncommitted_files(root: Path) -> list[str]:
    """Changed, staged and untracked (not ignored) files: anything an edition would not record."""
    lines = git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
    return [line[3:] for line in lines if line.strip()]


def tags(root: Path, pattern: str) -> list[str]:
    return git(root, "tag", "--list", pattern).split()


def tag_date(root: Path, tag: str) -> str:
    """The date (YYYY-MM-DD) of the commit a tag points at."""
    return git(root, "log", "-1", "--format=%cs", f"{tag}^{{commit}}").strip()


def tags_at_head(root: Path, pattern: str) -> list[str]:
    try:
        return git(root, "tag", "--points-at", "HEAD", "--list", pattern).split()
    except GitError:
        return []


def published_commits_missing(root: Path, branch: str) -> int:
    """How many commits of `origin/<branch>` (as last fetched) the local branch does not have."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}")
    except GitError:
        return 0  # no such remote branch: nothing published elsewhere
    local = f"refs/heads/{branch}"
    try:
        git(root, "rev-parse", "--verify", "--quiet", local)
    except GitError:
        return int(git(root, "rev-list", "--count", f"refs/remotes/origin/{branch}").strip())
    return int(git(root, "rev-list", "--count", f"{local}..refs/remotes/origin/{branch}").strip())


def file_at(root: Path, revision: str, path: Path) -> str | None:
    """A file's text at a revision, None if it was not there. `./` makes git read the path from the
    project's folder, which may lie below the top of the repository."""
    try:
        return git(root, "show", f"{revision}:./{path.resolve().relative_to(root.resolve()).as_posix()}")
    except GitError:
        return None


def commit_files(root: Path, paths: list[Path], message: str, timestamp: int) -> str:
    """Commit these files (only these) with the given date; returns the new commit's hash."""
    when = {"GIT_AUTHOR_DATE": f"@{timestamp} +0000", "GIT_COMMITTER_DATE": f"@{timestamp} +0000"}
    names = [str(path) for path in paths]
    git(root, "add", "--", *names)
    git(root, "commit", "--quiet", "--message", message, "--", *names, env=when)
    return git(root, "rev-parse", "HEAD").strip()


def annotated_tag(root: Path, name: str, message: str, timestamp: int) -> None:
    git(
        root,
        "tag",
        "--annotate",
        name,
        "--message",
        message,
        env={"GIT_COMMITTER_DATE": f"@{timestamp} +0000"},
    )


def delete_tag(root: Path, name: str) -> None:
    git(root, "tag", "--delete", name)


def undo_last_commit(root: Path, expected: str) -> None:
    """Take back the commit a failed release made. `--keep` restores only the files that commit
    changed, and refuses if one of them was edited since: an editor's uncommitted work is never lost."""
    if git(root, "rev-parse", "HEAD").strip() == expected:
        git(root, "reset", "--quiet", "--keep", "HEAD~1")
