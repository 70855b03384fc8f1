"""What a proposed change does to the guidelines, for the people who review it: per language, the
pages whose text changed and how (the "What changed" word diff, shortened), the translations it makes
outdated and those it brings up to date, what the checks find on the changed pages, and how many
pages each language's PDF has before and after.

"Before" is the text at the merge base of the branch and `base` (what the pull request is compared
with on GitHub); "after" is the working tree, so an uncommitted edit is reviewed too.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from guidelines import git
from guidelines.changes import PageChange, Run, compare_language, page_reader, page_title, texts_since
from guidelines.checks import run_checks
from guidelines.content import Content, load_content
from guidelines.findings import Finding, Severity
from guidelines.labels import label
from guidelines.project import Project, language_prefix, load_project
from guidelines.translations import State, state_of_texts

# A word diff is shortened to what a reviewer needs: a few words of context around each change,
# long removed or added stretches cut, and a few changed paragraphs per page.
CONTEXT_WORDS = 8
LONGEST_RUN = 60
PARAGRAPHS_PER_PAGE = 6
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class TranslationChange:
    language: str
    name: str
    title: str  # the source page's title
    before: State
    after: State


@dataclass(frozen=True)
class EditionPages:
    language: str
    before: int | None  # None: that PDF could not be made or counted
    after: int | None


@dataclass
class Review:
    base: str  # the reference as given ("origin/main")
    base_commit: str  # the merge base, abbreviated
    changes: dict[str, list[PageChange]]  # language -> changed pages, in navigation order
    outdated: list[TranslationChange]
    refreshed: list[TranslationChange]  # brought up to date, or added
    findings: list[Finding]  # the checks' findings on the changed files
    other_files: list[str]  # changed files outside the language folders (settings, toolkit, ...)
    pages: list[EditionPages] = field(default_factory=list)  # empty: not counted


def merge_base(root: Path, base: str) -> str:
    return git.git(root, "merge-base", base, "HEAD").strip()


def changed_files(root: Path, revision: str, docs: str = "docs") -> list[str]:
    """Files that differ between `revision` and the working tree, as paths from the project's folder:
    the tracked ones, and new pages and pictures not yet added to git (in `docs`: other new files,
    such as this command's own output, are not part of the change)."""
    tracked = git.git(root, "diff", "--name-only", "--relative", revision, "--", ".").split("\n")
    untracked = git.git(root, "ls-files", "--others", "--exclude-standard", "--", docs).split("\n")
    return sorted({path for path in tracked + untracked if path})


def review(
    project: Project,
    base: str,
    *,
    count_pages: bool = True,
    run_the_checks: bool = True,
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> Review:
    commit = merge_base(project.root, base)
    codes = [language.code for language in project.languages]
    source = project.source_language.code
    texts = {code: texts_since(project, code, commit) for code in codes}
    changes = {code: compare_language(texts[code], page_reader(project, code)) for code in codes}
    outdated, refreshed = [], []
    for name, (source_before, source_after) in texts[source].items():
        title = page_title(source_after or source_before or "") or name
        for code in codes:
            if code == source:
                continue
            before_text, after_text = texts[code][name]
            before, after = (
                state_of_texts(source_before, before_text),
                state_of_texts(source_after, after_text),
            )
            if after is None or before == after:
                continue
            change = TranslationChange(code, name, title, before or State.MISSING, after)
            if after is State.OUTDATED:
                outdated.append(change)
            elif after is not State.MISSING:
                refreshed.append(change)
    docs = project.display(project.docs_dir) + "/"
    files = changed_files(project.root, commit, docs)
    content, findings = load_content(project) if run_the_checks or count_pages else (None, [])
    if run_the_checks:
        findings += run_checks(content, advisory=True)
    findings = sorted(finding for finding in findings if finding.path in files)
    result = Review(
        base,
        commit[:7],
        changes,
        outdated,
        refreshed,
        findings,
        [path for path in files if not path.startswith(docs)],
    )
    if count_pages:
        result.pages = _edition_pages(project, content, commit, cache_dir, jobs)
    return result


def _edition_pages(
    project: Project, content: Content, commit: str, cache_dir: Path | None, jobs: int
) -> list[EditionPages]:
    """Each language's PDF page count before (the merge base, checked out in a temporary worktree
    and typeset there) and after (the working tree); PDFs of unchanged text come from the cache."""
    from guidelines.build import CACHE_DIR
    from guidelines.editions.build import pdf_page_counts

    cache = cache_dir or project.root / CACHE_DIR
    with _worktree(project, commit) as base_root:
        base_content, _ = load_content(load_project(base_root, project.config_file))
        before, after = pdf_page_counts([base_content, content], cache, jobs)
    return [EditionPages(code, before.get(code), after.get(code)) for code in after.keys() | before.keys()]


@contextlib.contextmanager
def _worktree(project: Project, commit: str) -> Iterator[Path]:
    """The project's folder as it was at `commit`, in a temporary git worktree removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="guidelines-base-"))
    checkout = folder / "checkout"
    prefix = git.git(project.root, "rev-parse", "--show-prefix").strip()
    git.git(project.root, "worktree", "add", "--quiet", "--detach", str(checkout), commit)
    try:
        yield checkout / prefix
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(checkout)], cwd=project.root, capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


# Printing ---------------------------------------------------------------------------------------


def page_address(language: str, source: str, name: str) -> str:
    """A page's address inside the site: "lv/02-premises/" for docs/lv/02-premises.md."""
    page = "" if name == "index.md" else name.removesuffix(".md") + "/"
    return language_prefix(language, source) + page


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def shortened(runs: tuple[Run, ...]) -> list[Run]:
    """A paragraph's runs with long unchanged stretches cut to the words next to a change, and very
    long removed or added stretches cut to their start ("…" marks every cut)."""
    out: list[Run] = []
    for index, (operation, text) in enumerate(runs):
        words = _words(text)
        if operation == "equal":
            first, last = index == 0, index == len(runs) - 1
            lead = " " if text[:1].isspace() else ""
            trail = " " if text[-1:].isspace() else ""
            if first and last:
                continue
            if first and len(words) > CONTEXT_WORDS:
                text = "… " + " ".join(words[-CONTEXT_WORDS:]) + trail
            elif last and len(words) > CONTEXT_WORDS:
                text = lead + " ".join(words[:CONTEXT_WORDS]) + " …"
            elif not first and not last and len(words) > 2 * CONTEXT_WORDS:
                text = (
                    lead + " ".join(words[:CONTEXT_WORDS]) + " … " + " ".join(words[-CONTEXT_WORDS:]) + trail
                )
        elif len(words) > LONGEST_RUN:
            text = " ".join(words[: LONGEST_RUN // 2]) + f" … ({len(words) - LONGEST_RUN // 2} more words)"
        out.append((operation, text))
    return out


MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def _markdown_text(text: str) -> str:
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _markdown_runs(runs: list[Run]) -> str:
    parts = []
    for operation, text in runs:
        core, lead, trail = text.strip(), text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        if operation == "equal" or not core:
            parts.append(_markdown_text(text))
        elif operation == "delete":
            parts.append(f"{lead}<del>{_markdown_text(core)}</del>{trail}")
        else:
            parts.append(f"{lead}<ins>{_markdown_text(core)}</ins>{trail}")
    return " ".join("".join(parts).split("\n"))


def _text_runs(runs: list[Run]) -> str:
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    parts = []
    for operation, text in runs:
        core, lead, trail = text.strip(), text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        opening, closing = marks[operation]
        parts.append(f"{lead}{opening}{core}{closing}{trail}" if core and operation != "equal" else text)
    return " ".join("".join(parts).split("\n"))


STATE_WORDS = {
    State.CURRENT: "up to date",
    State.OUTDATED: "outdated",
    State.UNTRACKED: "not marked as checked against the English text",
    State.MISSING: "missing",
}
STATUS_WORDS = {"added": "new page", "changed": "changed", "removed": "page removed"}


def as_markdown(result: Review, project: Project, preview_url: str | None = None) -> str:
    """The review as a pull request comment (GitHub Markdown)."""
    return "\n".join(_lines(result, project, preview_url, markdown=True)).rstrip() + "\n"


def as_text(result: Review, project: Project, preview_url: str | None = None) -> str:
    """The review for a terminal."""
    return "\n".join(_lines(result, project, preview_url, markdown=False)).rstrip() + "\n"


def as_addresses(result: Review, project: Project) -> str:
    """The site addresses of the changed pages that exist after the change, one a line ("lv/02-premises/"),
    for a browser check of just those pages."""
    source = project.source_language.code
    addresses = [
        page_address(code, source, change.name)
        for code, changes in result.changes.items()
        for change in changes
        if change.status != "removed"
    ]
    return "".join(f"{address}\n" for address in addresses)


def _lines(result: Review, project: Project, preview_url: str | None, *, markdown: bool) -> list[str]:
    source = project.source_language.code
    heading = (
        (lambda level, text: f"{'#' * level} {text}")
        if markdown
        else (lambda level, text: text.upper() if level <= 3 else text)
    )
    text_of = _markdown_text if markdown else (lambda text: text)
    runs_of = _markdown_runs if markdown else _text_runs
    compared = f"Compared with {result.base} (commit {result.base_commit})."
    lines = [heading(2, "What this change does to the guidelines"), "", compared]
    if preview_url:
        lines += (
            ["", f"Preview of the whole site: {preview_url}"] if markdown else [f"Preview: {preview_url}"]
        )
    lines.append("")
    if markdown:
        lines += ["Removed words are <del>struck through</del>, added words <ins>underlined</ins>.", ""]
    else:
        lines += ["Removed words are shown [-like this-], added words {+like this+}.", ""]

    for language in project.languages:
        code = language.code
        changes = result.changes.get(code, [])
        name = label("en", f"language.{code}")
        lines += [heading(3, f"{name}: {_count(len(changes), 'page')} changed"), ""]
        if not changes:
            lines += ["No page changed in this language.", ""]
            continue
        for change in changes:
            address = page_address(code, source, change.name)
            title = text_of(change.title)
            file = f"docs/{code}/{change.name}"
            where = f"`{file}`" if markdown else file
            if markdown and preview_url and change.status != "removed":
                title = f"[{title}]({preview_url.rstrip('/')}/{address})"
            elif not markdown and preview_url and change.status != "removed":
                where += f", {preview_url.rstrip('/')}/{address}"
            lines.append(
                f"- **{title}** ({STATUS_WORDS[change.status]}, {where})"
                if markdown
                else f"- {title} ({STATUS_WORDS[change.status]}, {where})"
            )
            paragraphs = [
                (passage.section if number == 0 else "", paragraph)
                for passage in change.passages
                for number, paragraph in enumerate(passage.paragraphs)
            ]
            quoted = []
            for section, paragraph in paragraphs[:PARAGRAPHS_PER_PAGE]:
                where = f"In “{text_of(section)}”: " if section else ""
                quoted.append(where + runs_of(shortened(paragraph)))
            if len(paragraphs) > PARAGRAPHS_PER_PAGE:
                more = _count(len(paragraphs) - PARAGRAPHS_PER_PAGE, "more changed paragraph")
                quoted.append(
                    f"… and {more}: read the whole page" + (" in the preview." if preview_url else ".")
                )
            if quoted and markdown:  # a blank quoted line between paragraphs, or Markdown joins them
                lines += ["  >\n".join(f"  > {text}\n" for text in quoted).rstrip("\n")]
            else:
                lines += [f"    {text}" for text in quoted]
        lines.append("")

    lines += [heading(3, "Translations"), ""]
    if not result.outdated and not result.refreshed:
        lines += ["No translation changes state.", ""]
    if result.outdated:
        lines += [
            "**Made outdated** (the English text changed; the translation needs an update):"
            if markdown
            else "Made outdated (the English text changed; the translation needs an update):",
            *([""] if markdown else []),
        ]
        lines += [_translation_line(change, markdown) for change in result.outdated] + [""]
    if result.refreshed:
        lines += ["**Brought up to date or added:**", ""] if markdown else ["Brought up to date or added:"]
        lines += [_translation_line(change, markdown) for change in result.refreshed] + [""]

    lines += [heading(3, "Checks on the changed pages"), ""]
    if not result.findings:
        lines += ["No problems found.", ""]
    else:
        errors = sum(finding.severity is Severity.ERROR for finding in result.findings)
        lines += [
            f"{_count(errors, 'error')} and {_count(len(result.findings) - errors, 'warning')}. "
            "CONTRIBUTING.md explains every code.",
            "",
        ]
        for finding in result.findings:
            kind = "error" if finding.severity is Severity.ERROR else "warning"
            place = f"{finding.path}:{finding.line}" if finding.line else finding.path
            hint = f" Hint: {finding.hint}" if finding.hint else ""
            if markdown:
                lines.append(
                    f"- `{place}` **{finding.code}** ({kind}): {text_of(finding.message)}.{text_of(hint)}"
                )
            else:
                lines.append(f"- {place}: {finding.code} ({kind}) {finding.message}.{hint}")
        lines.append("")

    if result.pages:
        lines += [heading(3, "PDF editions: number of pages"), ""]
        rows = [
            (
                label("en", f"language.{entry.language}"),
                _number(entry.before),
                _number(entry.after),
                _difference(entry),
            )
            for entry in sorted(
                result.pages, key=lambda e: [lang.code for lang in project.languages].index(e.language)
            )
        ]
        if markdown:
            lines += ["| Edition | Before | After | Change |", "|---|---:|---:|---:|"]
            lines += [
                f"| {name} PDF | {before} | {after} | {change} |" for name, before, after, change in rows
            ]
        else:
            lines += [f"- {name} PDF: {before} -> {after} ({change})" for name, before, after, change in rows]
        lines.append("")

    if result.other_files:
        lines += [heading(3, "Other files changed"), ""]
        lines += ["These files are not text of the guidelines; a maintainer reviews them as code:", ""]
        lines += [f"- `{path}`" if markdown else f"- {path}" for path in result.other_files] + [""]
    return lines


def _translation_line(change: TranslationChange, markdown: bool) -> str:
    language = label("en", f"language.{change.language}")
    file = f"docs/{change.language}/{change.name}"
    shown = f"`{file}`" if markdown else file
    title = _markdown_text(change.title) if markdown else change.title
    return f"- {language}: {title} ({shown}): {STATE_WORDS[change.before]} → {STATE_WORDS[change.after]}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def _number(value: int | None) -> str:
    return "—" if value is None else str(value)


def _difference(entry: EditionPages) -> str:
    if entry.before is None or entry.after is None:
        return "—"
    difference = entry.after - entry.before
    return "no change" if difference == 0 else f"{difference:+d}"
