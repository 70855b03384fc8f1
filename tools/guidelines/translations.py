"""Whether each translation is up to date with its source, judged by content, not by file times.

A translation records, in its front matter, which source text it translates:

    source:
      hash: 5d41402abc4b2a76      # of the source's normalised body (see `source_hash`)
      revision: 8550a1e           # the commit that held that text, for showing what changed since

Only the body counts, with white space normalised: re-wrapping lines or editing the source's front
matter does not make translations outdated.
"""

from __future__ import annotations

import difflib
import enum
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from guidelines import git
from guidelines.content import Content, front_matter_bounds, read_text, split_front_matter
from guidelines.project import Project

HASH_LENGTH = 16


class State(enum.Enum):
    CURRENT = "up to date"
    OUTDATED = "outdated"
    UNTRACKED = "not marked"  # a translation that does not yet say what it translates
    MISSING = "missing"


@dataclass(frozen=True)
class TranslationStatus:
    language: str
    name: str
    state: State
    path: Path
    source_changed: str | None = None  # date (YYYY-MM-DD) of the source's last change
    recorded_revision: str | None = None
    diff: str = ""

    def as_dict(self) -> dict:
        return {
            "language": self.language,
            "file": self.name,
            "state": self.state.name.lower(),
            "source_changed": self.source_changed,
            "recorded_revision": self.recorded_revision,
            "diff": self.diff,
        }


def normalise(body: str) -> str:
    """The source text as it matters to a translator: paragraphs, with white space collapsed."""
    paragraphs = re.split(r"\n\s*\n", body.strip())
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip())


def source_hash(body: str) -> str:
    return hashlib.sha256(normalise(body).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def file_source_hash(text: str) -> str:
    """The hash of a whole file's body (front matter left out)."""
    _, body, _, _ = split_front_matter(text, "")
    return source_hash(body)


def _git(root: Path, *args: str) -> str | None:
    """git's output; None where git fails (outside a repository, a file git never saw)."""
    try:
        return git.git(root, *args)
    except git.GitError:
        return None


def head_revision(root: Path) -> str | None:
    output = _git(root, "rev-parse", "--short", "HEAD")
    return output.strip() if output else None


def last_change_date(root: Path, path: Path) -> str | None:
    """The date (YYYY-MM-DD) of the last commit that changed a file, if git knows it."""
    output = _git(root, "log", "-1", "--format=%cs", "--", str(path.resolve().relative_to(root.resolve())))
    return (output or "").strip() or None


def source_at(project: Project, revision: str, path: Path) -> str | None:
    """The source file's body as it was at `revision`, from git."""
    output = git.file_at(project.root, revision, path)
    if output is None:
        return None
    _, body, _, _ = split_front_matter(output, "")
    return body


def short_diff(old_body: str, new_body: str, limit: int = 40) -> str:
    """What changed in the source, paragraph by paragraph, as a unified diff of at most `limit` lines."""
    old, new = normalise(old_body).split("\n\n"), normalise(new_body).split("\n\n")
    lines = list(difflib.unified_diff(old, new, "before", "now", lineterm="", n=0))
    if len(lines) > limit:
        lines = [*lines[:limit], f"… ({len(lines) - limit} more lines)"]
    return "\n".join(lines)


def recorded_source(front_matter: dict) -> tuple[str | None, str | None]:
    """(hash, revision) of the source text a translation's front matter says it translates."""
    record = front_matter.get("source")
    if not isinstance(record, dict):
        return None, None
    hash_value = record.get("hash")
    revision = record.get("revision")
    return (str(hash_value) if hash_value else None, str(revision) if revision else None)


def translation_status(content: Content, *, with_diff: bool = True) -> list[TranslationStatus]:
    project = content.project
    source = project.source_language
    statuses = []
    for entry in project.nav:
        source_page = content.page(source.code, entry.file)
        if source_page is None:
            continue
        current = source_hash(source_page.body)
        changed = last_change_date(project.root, source_page.path)
        for language in project.languages:
            if language.is_source:
                continue
            path = project.language_dir(language) / entry.file
            page = content.page(language.code, entry.file)
            if page is None:
                statuses.append(TranslationStatus(language.code, entry.file, State.MISSING, path, changed))
                continue
            recorded, revision = recorded_source(page.front_matter)
            state = _state(recorded, current)
            diff = ""
            if state is State.OUTDATED and with_diff and revision:
                old = source_at(project, revision, source_page.path)
                diff = short_diff(old, source_page.body) if old is not None else ""
            statuses.append(
                TranslationStatus(language.code, entry.file, state, path, changed, revision, diff)
            )
    return statuses


def _state(recorded: str | None, current: str) -> State:
    """A translation's state from the source hash it records and the source's hash now."""
    if recorded is None:
        return State.UNTRACKED
    return State.CURRENT if recorded == current else State.OUTDATED


def state_of_texts(source_text: str | None, translation_text: str | None) -> State | None:
    """A translation's state from the two files' texts (as git holds them at some revision, or
    now); None where there is no source to translate."""
    if source_text is None:
        return None
    if translation_text is None:
        return State.MISSING
    front_matter, _, _, _ = split_front_matter(translation_text, "")
    recorded, _ = recorded_source(front_matter)
    return _state(recorded, file_source_hash(source_text))


def _plain(value: str) -> str:
    """A hex string as YAML reads it back unchanged: quoted where YAML would take it for a number
    (the commit 0705436 reads as the octal number 232222)."""
    return value if yaml.safe_load(value) == value else f'"{value}"'


def mark_current(project: Project, paths: list[Path]) -> list[Path]:
    """Record the current source text in each translation's front matter; returns the files changed."""
    source_dir = project.language_dir(project.source_language)
    revision = head_revision(project.root)
    changed = []
    for path in paths:
        source_path = source_dir / path.name
        source_text, _ = read_text(source_path, project.display(source_path))
        text, _ = read_text(path, project.display(path))
        if source_text is None or text is None:
            raise FileNotFoundError(project.display(source_path if source_text is None else path))
        record = f"source:\n  hash: {_plain(file_source_hash(source_text))}\n"
        # The revision only helps `status` show a diff if the file there holds this very text.
        if revision and _git(project.root, "diff", "--quiet", "HEAD", "--", str(source_path)) is not None:
            record += f"  revision: {_plain(revision)}\n"
        new_text = set_source_record(text, record)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            changed.append(path)
    return changed


def set_source_record(text: str, record: str) -> str:
    """Replace (or add) the `source:` block of a file's front matter, leaving every other line as it is."""
    if not text.startswith("---\n"):
        return f"---\n{record}---\n\n{text}"
    bounds = front_matter_bounds(text)
    if bounds is None:
        return text
    block = text[4 : bounds[0]]
    block = re.sub(r"^source:[^\n]*\n(?:[ \t]+[^\n]*\n)*", "", block, flags=re.MULTILINE)
    return "---\n" + block + record + text[bounds[0] :]


def translation_paths(project: Project, targets: list[str]) -> list[Path]:
    """Files named by the user: a translation file, a language code, or 'all'."""
    paths: list[Path] = []
    languages = {language.code for language in project.languages if not language.is_source}
    for target in targets:
        if target == "all" or target in languages:
            codes = sorted(languages) if target == "all" else [target]
            for code in codes:
                paths += [
                    project.language_dir(code) / entry.file
                    for entry in project.nav
                    if (project.language_dir(code) / entry.file).is_file()
                ]
        else:
            paths.append(Path(target).resolve())
    return paths
