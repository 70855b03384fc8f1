"""Edition numbers: what a released version looks like, how versions compare, where they are recorded.

A released edition is a git tag `v<version>` (e.g. `v1.1`) on the commit that records it in
CHANGELOG.md; its site and downloads live in the `<version>/` folder of the gh-pages branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering
from pathlib import Path

from guidelines import git

TAG_PREFIX = "v"
# ASCII digits only (`\d` would take U+0661, an Arabic-Indic one, as 1), and at most 6 of them a part.
VERSION = re.compile(r"(0|[1-9][0-9]{0,5})(\.(0|[1-9][0-9]{0,5})){1,2}")
# The name the work in progress is published under, next to the released editions.
DEV = "dev"
LATEST = "latest"
# Pull requests' previews: `pr/<number>/` on the gh-pages branch, never a version of the selector.
PREVIEWS = "pr"


def preview_folder(number: int) -> str:
    return f"{PREVIEWS}/{number}"


def is_preview(published_as: str | None) -> bool:
    return bool(published_as) and published_as.startswith(f"{PREVIEWS}/")


@total_ordering
@dataclass(frozen=True)
class Version:
    parts: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> Version:
        """`1.0`, `1.1`, `2.0.1`; raises ValueError with a reader's explanation otherwise."""
        text = text.strip().removeprefix(TAG_PREFIX)
        if not VERSION.fullmatch(text):
            raise ValueError(
                f"'{text[:40]}' is not an edition number: use two or three numbers, like 1.0, 1.1 or 2.0.1"
            )
        return cls(tuple(int(part) for part in text.split(".")))

    @classmethod
    def is_version(cls, text: str) -> bool:
        return bool(VERSION.fullmatch(text.strip().removeprefix(TAG_PREFIX)))

    def _key(self) -> tuple[int, ...]:
        return self.parts + (0,) * (3 - len(self.parts))  # 1.1 and 1.1.0 are one edition

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __str__(self) -> str:
        return ".".join(str(part) for part in self.parts)

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self}"


def released_versions(root: Path) -> list[Version]:
    """Every released edition of the repository, oldest first (none outside a git repository)."""
    if not git.is_repository(root):
        return []
    found = [Version.parse(tag) for tag in git.tags(root, f"{TAG_PREFIX}*") if Version.is_version(tag)]
    return sorted(set(found))


def releases_before(released: list[Version], edition: str | None) -> list[Version]:
    """The releases older than `edition`, oldest first; for the work in progress (None), all."""
    if edition is None:
        return list(released)
    this = Version.parse(edition)
    return [version for version in released if version < this]


def previous_release(released: list[Version], edition: str | None) -> Version | None:
    """The edition a build is compared with: the newest release before it."""
    return max(releases_before(released, edition), default=None)


def version_at_head(root: Path) -> Version | None:
    """The release recorded by the checked-out commit, if the working tree is exactly that commit:
    `git checkout v1.0 && guidelines build` rebuilds edition 1.0 under its own number."""
    if not git.is_repository(root):
        return None
    tagged = [
        Version.parse(tag) for tag in git.tags_at_head(root, f"{TAG_PREFIX}*") if Version.is_version(tag)
    ]
    if not tagged or git.uncommitted_files(root):
        return None
    return max(tagged)
