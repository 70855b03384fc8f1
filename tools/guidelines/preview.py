"""The preview while a writer edits (`guidelines serve`): what a save changes, and what it must rebuild.

Every page of the site is made from a few inputs: its own file (or the source language's, where a
translation is missing), the titles of its language's pages (the navigation, the previous and next
links), whether its translation is current (the banner), the glossary, the status of every
translation or the text of every page for the pages that show them, and the check findings of its
file (the writer's banner). `page_inputs` hashes them per page; after a save, the pages whose hash
changed are rebuilt and every other page is served from the last build. This module knows the
project, not the site engine: `guidelines.site` runs MkDocs with the plan.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from guidelines.changes import MARKER as CHANGES_MARKER
from guidelines.content import Content, Page, load_content, load_page, resolve, split_front_matter
from guidelines.findings import Finding, Severity
from guidelines.glossary import MARKER as GLOSSARY_MARKER
from guidelines.labels import label
from guidelines.project import Project
from guidelines.rendering import DOWNLOADS_MARKER
from guidelines.translations import file_source_hash, recorded_source

STATUS_MARKER = "[[translation-status]]"
# Elements only the preview adds to a page (the writer's banner, the note on the download panel); a
# published build never has them, and a comparison with one leaves them out.
PREVIEW_CLASS = "guidelines-preview"

PageKey = tuple[str, str]  # (language, file name in the language folder)
# Every other file the site publishes from docs/ (pictures): a change to any of them gets a whole
# build, which copies them as a clean build does (they change seldom while a writer writes).
ASSETS = ("", "")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str
    title: str
    front_matter: dict
    markers: frozenset[str]


class Sources:
    """The Markdown files under docs/, read again only when their text changed."""

    def __init__(self, project: Project):
        self.project = project
        self._cache: dict[Path, tuple[bytes, SourceFile]] = {}
        self.read_again: set[Path] = set()  # the files new or changed since they were last read
        self._assets: dict[Path, str] = {}

    def read(self, path: Path) -> SourceFile:
        raw = path.read_bytes()
        cached = self._cache.get(path)
        if cached and cached[0] == raw:
            return cached[1]
        self.read_again.add(path)
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff").replace("\r\n", "\n")
        front_matter, body, _, _ = split_front_matter(text, "")
        title = front_matter.get("title")
        lines = {line.strip() for line in body.split("\n")}
        markers = frozenset(
            m for m in (GLOSSARY_MARKER, STATUS_MARKER, CHANGES_MARKER, DOWNLOADS_MARKER) if m in lines
        )
        source = SourceFile(path, text, title if isinstance(title, str) else "", front_matter, markers)
        self._cache[path] = (raw, source)
        return source

    def assets(self) -> dict[Path, str]:
        """Every other file the site publishes from docs/, with its time and size; one that changed
        since the last call counts as read again."""
        stamps = {
            path: f"{path.stat().st_mtime_ns} {path.stat().st_size}"
            for path in self.project.docs_dir.rglob("*")
            if path.is_file() and path.suffix != ".md" and not _unpublished(self.project, path)
        }
        self.read_again |= {path for path, stamp in stamps.items() if self._assets.get(path) != stamp}
        self.read_again |= set(self._assets) - set(stamps)
        self._assets = stamps
        return stamps

    def files(self) -> dict[str, dict[str, Path]]:
        """Each language's Markdown files by name."""
        found: dict[str, dict[str, Path]] = {}
        for language in self.project.languages:
            folder = self.project.language_dir(language)
            paths = sorted(folder.rglob("*.md")) if folder.is_dir() else []
            found[language.code] = {path.relative_to(folder).as_posix(): path for path in paths}
        return found


def _hash(*parts: str | bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def page_inputs(project: Project, sources: Sources, findings: dict[str, list[Finding]]) -> dict[PageKey, str]:
    """A hash of everything each page of the site shows, per (language, file name)."""
    files = sources.files()
    source = project.source_language.code

    def used(language: str, name: str) -> SourceFile:
        return sources.read(files[language].get(name) or files[source][name])

    names = {code: sorted(set(files[source]) | set(files[code])) for code in files}
    navigation = {
        code: _hash(*(f"{name}\0{used(code, name).title}" for name in names[code])) for code in files
    }

    def current(language: str, name: str) -> str:
        """Whether the translation's banner says its source moved on (the banner's only input that a
        save changes; its date comes from git)."""
        if language == source or name not in files[language] or name not in files[source]:
            return ""
        recorded, _ = recorded_source(used(language, name).front_matter)
        if recorded is None:
            return "untracked"
        return "current" if recorded == file_source_hash(used(source, name).text) else "outdated"

    status = _hash(
        navigation[source],
        *(
            f"{code}\0{name}\0{name in files[code]}\0{current(code, name)}"
            for code in files
            for name in names[code]
        ),
    )
    glossary = project.glossary_path.read_bytes() if project.glossary_path.is_file() else b""
    # A language's "What changed" page compares every page of that language with the last edition.
    texts = {code: _hash(*(used(code, name).text for name in names[code])) for code in files}
    inputs = {}
    for code in files:
        for name in names[code]:
            page = used(code, name)
            shown = project.display(page.path)
            parts = [str(page.path), page.text, navigation[code], current(code, name)]
            parts += [finding.format() for finding in findings.get(shown, [])]
            if GLOSSARY_MARKER in page.markers:
                parts.append(glossary)
            if STATUS_MARKER in page.markers:
                parts.append(status)
            if CHANGES_MARKER in page.markers:
                parts.append(texts[code])
            inputs[(code, name)] = _hash(*parts)
    inputs[ASSETS] = _hash(*(f"{path}\0{stamp}" for path, stamp in sorted(sources.assets().items())))
    return inputs


def _unpublished(project: Project, path: Path) -> bool:
    """The glossary (its pages are planned above) and the spelling check's word lists."""
    from guidelines.checks.spelling import WORDLISTS

    return path == project.glossary_path or (project.docs_dir / WORDLISTS) in path.parents


@dataclass
class Plan:
    """What one rebuild does: every page (`everything`), or the pages listed, by language."""

    pages: dict[str, set[str]] = field(default_factory=dict)
    everything: bool = False

    @property
    def count(self) -> int:
        return sum(len(names) for names in self.pages.values())

    def rebuilds(self, language: str, name: str) -> bool:
        return self.everything or name in self.pages.get(language, set())


def plan(before: dict[PageKey, str], after: dict[PageKey, str]) -> Plan:
    """The pages whose inputs changed; a page that went away needs a whole build (the navigation and
    the search index lose it, and its old output must not stay behind)."""
    if set(before) - set(after) or before.get(ASSETS) != after.get(ASSETS):
        return Plan(everything=True)
    pages: dict[str, set[str]] = {}
    for key, value in after.items():
        if before.get(key) != value:
            pages.setdefault(key[0], set()).add(key[1])
    return Plan(pages)


def run_checks(content: Content, *, advisory: bool) -> list[Finding]:
    # Imported when the preview checks, not with the MkDocs plugin: a check of glyphs loads the
    # editions' fonts (Typst), which a plain `mkdocs build` has no use for.
    from guidelines.checks import run_checks as run

    return run(content, advisory=advisory)


class Findings:
    """The check findings of every file, kept up to date one save at a time.

    A save re-checks the pages whose text changed, their translations (the parity and terminology
    checks compare them) and the pages of the same language that link to them (whose links may
    now miss an anchor); a change to the glossary or the word lists re-checks everything."""

    def __init__(self, project: Project):
        self.project = project
        self.by_path: dict[str, list[Finding]] = {}
        self.content: Content | None = None
        self._texts: dict[Path, bytes] = {}

    def check_all(self, content: Content, loading: list[Finding]) -> list[Finding]:
        self.content = content
        self._texts = {page.path: page.path.read_bytes() for page in _pages(content)}
        self._glossary = self._glossary_text()
        self._files = self._markdown_files()
        self._loading = loading
        found = loading + run_checks(content, advisory=True)
        self.by_path = _by_path(found)
        return sorted(found)

    def update(self) -> tuple[list[str], bool]:
        """Re-read the pages that changed and re-check what they affect; returns the changed files
        and whether the whole content was reloaded (then every finding was renewed)."""
        assert self.content is not None
        if self._glossary_text() != self._glossary:  # the terminology check reads it for every page
            self.check_all(self.content, self._loading)  # the pages as they were read (and rendered)
            return [self.project.display(self.project.glossary_path)], True
        files = self._markdown_files()
        if files != self._files:  # a page came or went: the navigation's findings change too
            fresh, loading = load_content(self.project)
            self.check_all(fresh, loading)
            return sorted(self.project.display(path) for path in files ^ self._files), True
        content = self.content
        changed: list[Page] = []
        for page in _pages(content):
            raw = page.path.read_bytes() if page.path.is_file() else None
            if raw != self._texts.get(page.path):
                changed.append(page)
        listed = {(page.language, page.name) for page in _pages(content)}
        on_disk = {
            (language.code, entry.file)
            for language in self.project.languages
            for entry in self.project.nav
            if (self.project.language_dir(language) / entry.file).is_file()
        }
        if on_disk != listed or any(
            page.path not in self._texts or not page.path.is_file() for page in changed
        ):
            fresh, loading = load_content(self.project)
            self.check_all(fresh, loading)
            return sorted({self.project.display(page.path) for page in changed}), True
        if not changed:
            return [], False
        reloaded, loading = [], []
        for page in changed:
            new, found = load_page(self.project, page.language, page.name)
            loading += found
            if new is None:
                fresh, more = load_content(self.project)
                self.check_all(fresh, more)
                return [self.project.display(page.path)], True
            content.pages[page.language][content.pages[page.language].index(page)] = new
            self._texts[new.path] = new.path.read_bytes()
            reloaded.append(new)
        focus = _affected(content, reloaded)
        shown = {self.project.display(page.path) for page in focus}
        found = [f for f in loading + run_checks(content.focused_on(focus), advisory=True) if f.path in shown]
        for path in shown:
            self.by_path.pop(path, None)
        for path, items in _by_path(found).items():
            self.by_path[path] = items
        return sorted(self.project.display(page.path) for page in reloaded), False

    def _markdown_files(self) -> set[Path]:
        return set(self.project.docs_dir.rglob("*.md"))

    def _glossary_text(self) -> bytes:
        path = self.project.glossary_path
        return path.read_bytes() if path.is_file() else b""

    def of(self, paths: Iterable[str]) -> list[Finding]:
        return sorted(finding for path in paths for finding in self.by_path.get(path, []))


def _pages(content: Content) -> list[Page]:
    return [page for pages in content.pages.values() for page in pages]


def _by_path(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in sorted(findings):
        grouped.setdefault(finding.path, []).append(finding)
    return grouped


def _affected(content: Content, changed: list[Page]) -> list[Page]:
    """The changed pages, the pages that link to them, and, for a changed source page, its translations
    (which the parity and terminology checks compare with it) and every page linking to its name (a
    link to a missing translation is checked against the source page)."""
    source = content.project.source_language.code
    changed_keys = {(page.language, page.name) for page in changed}
    sources = {page.name for page in changed if page.language == source}
    focus = []
    for page in _pages(content):
        targets = {resolve(page, link.split()[0]) for link in page.links if not link.is_external}
        linked = any((page.language, target) in changed_keys or target in sources for target in targets)
        if (page.language, page.name) in changed_keys or page.name in sources or linked:
            focus.append(page)
    return focus


# --- what the preview adds to a page ---------------------------------------------------------------


def findings_banner(findings: list[Finding], language: str) -> str:
    """A small box at the top of a page whose file has check findings, for its writer."""
    if not findings:
        return ""
    errors = sum(finding.severity is Severity.ERROR for finding in findings)
    title = label(language, "preview.findings").format(errors=errors, warnings=len(findings) - errors)
    items = "".join(
        f"<li><code>{html.escape(finding.path)}:{finding.line}</code> {html.escape(finding.code)} "
        f"{html.escape(finding.message)}</li>"
        for finding in findings
    )
    kind = "failure" if errors else "warning"
    return (
        f'<div class="admonition {kind} {PREVIEW_CLASS}" role="status">'
        f'<p class="admonition-title">{html.escape(title)}</p><ul>{items}</ul></div>'
    )


def downloads_note(language: str, built: bool) -> str:
    """What the download panel says in the preview: the editions are the last build's, not the text's
    (or, before any `guidelines build`, that the preview does not make them)."""
    text = html.escape(label(language, "preview.editions" if built else "preview.editions_none"))
    return f'<div class="admonition info {PREVIEW_CLASS}"><p>{text}</p></div>'


# --- what the preview keeps between builds -----------------------------------------------------------


@dataclass
class PreviewState:
    """Shared by the preview and the site engine's plugin: the plan of the build under way, and what
    the last builds left that a build of some pages only must keep (the other languages' 404 pages,
    the sitemap's pages, every page's search entries)."""

    findings: Findings
    plan: Plan = field(default_factory=lambda: Plan(everything=True))
    not_found_pages: dict[str, str] = field(default_factory=dict)
    page_paths: set[str] = field(default_factory=set)
    search_config: dict = field(default_factory=dict)
    search_entries: list[dict] = field(default_factory=list)
    # Whether the build under way is the last of a save's: the site-wide files (search index,
    # 404 pages, sitemap) are written once, after every language that changed was built.
    finishing: bool = True


def merge_search_entries(
    old: list[dict],
    new: list[dict],
    language: str,
    page_urls: list[str],
    rebuilt: set[str],
    language_of,
) -> list[dict]:
    """The search entries of every page after one language was partly rebuilt: that language's pages
    in the order of its build, each with its new entries if it was rebuilt, else its old ones."""

    def by_page(entries: list[dict]) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for entry in entries:
            grouped.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        return grouped

    before = by_page([entry for entry in old if language_of(entry["location"]) == language])
    after = by_page(new)
    merged = [e for url in page_urls for e in (after.get(url, []) if url in rebuilt else before.get(url, []))]
    languages = list(dict.fromkeys([*(language_of(entry["location"]) for entry in old), language]))
    return [
        entry
        for code in languages
        for entry in (merged if code == language else [e for e in old if language_of(e["location"]) == code])
    ]
