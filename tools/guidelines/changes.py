"""What changed between two editions: the chapters whose text differs, with a word-level diff a
reader can follow (removed words struck through, added words marked), grouped by section.

The texts compared are what a reader sees, not the Markdown: link targets, heading ids and
emphasis marks are left out, so a moved link or a new `{#id}` is not reported as a change.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from guidelines import git
from guidelines.content import Page, page_from_text, split_front_matter
from guidelines.findings import FindingsError
from guidelines.glossary import MARKER as GLOSSARY_MARKER
from guidelines.glossary import glossary_table, parse_glossary
from guidelines.labels import label
from guidelines.project import Project
from guidelines.rendering import DOWNLOADS_MARKER, FORMS_MARKER, expand_markers
from guidelines.versions import previous_release, released_versions

Operation = Literal["equal", "insert", "delete"]
Run = tuple[Operation, str]  # words kept, added or removed
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
MARKER = "[[changes]]"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The elements a reader takes as one paragraph each; a table row is one (a changed term is one row).
BLOCKS = (*HEADINGS, "p", "li", "tr", "pre", "dt", "dd", "summary", "caption", "figcaption")
SITE_MARKS = {"headerlink", "footnote-backref"}
PYTHON_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
CHANGES_LABELS = (
    "changes.first",
    "changes.compared",
    "changes.compared_dev",
    "changes.legend",
    "changes.none",
    "changes.changed",
    "changes.added",
    "changes.removed",
    "changes.section",
    "changes.delete",
    "changes.insert",
)


@dataclass(frozen=True)
class Passage:
    """One changed stretch of a chapter: the section it is in, and its words with what happened to them."""

    section: str
    paragraphs: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class PageChange:
    name: str  # file name in the language folder, e.g. "05-funding.md"
    title: str
    status: Literal["added", "changed", "removed"]
    passages: tuple[Passage, ...] = field(default=())


def reader_text(page: Page) -> list[tuple[str, bool]]:
    """A page as the paragraphs a reader sees in the site's rendering (`Page.tree`), each with whether
    it is a heading: a paragraph, a list item's own words, a table row, a box's title, a footnote.
    Link targets, heading ids, emphasis and footnote numbers are not text, an image is its alt text."""
    paragraphs = []
    for element in page.tree.iter(*BLOCKS):
        text = " ".join(_own_text(element).split())
        if element.tag == "tr" and text:
            text = "| " + " | ".join(" ".join(_own_text(cell).split()) for cell in element) + " |"
        if text:
            paragraphs.append((text, element.tag in HEADINGS))
    return paragraphs


def _own_text(element) -> str:
    """The words of an element, without those of the blocks inside it (a nested list is its own
    paragraph) and without the marks the site adds (a heading's ¶, a footnote's number and ↩)."""
    words = [element.text or ""]
    for child in element.iterchildren():
        if not isinstance(child.tag, str):  # a comment
            pass
        elif child.tag == "img":
            words.append(child.get("alt") or "")
        elif child.tag not in BLOCKS and not (_classes(child) & SITE_MARKS) and child.tag != "sup":
            words.append(_own_text(child))
        elif child.tag == "sup" and not child.get("id", "").startswith("fnref"):
            words.append(_own_text(child))  # a superscript a writer wrote (m², 1st), not a footnote number
        words.append(child.tail or "")
    return "".join(words)


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def word_diff(old: str, new: str) -> list[Run]:
    """The words of `old` and `new` as one sequence of kept, removed and added runs."""
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    runs: list[Run] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", "".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            runs.append(("delete", "".join(before[i1:i2])))
        if tag in ("insert", "replace"):
            runs.append(("insert", "".join(after[j1:j2])))
    return _merge(_absorb_lone_spaces(runs))


def _absorb_lone_spaces(runs: list[Run]) -> list[Run]:
    """A space or a single word kept between two changes reads better inside them:
    "~~a b c~~ **x b y**", not "~~a~~ **x** b ~~c~~ **y**"."""
    out: list[Run] = []
    for index, (operation, text) in enumerate(runs):
        between_changes = 0 < index < len(runs) - 1 and runs[index - 1][0] != "equal" != runs[index + 1][0]
        if operation == "equal" and between_changes and (not text.strip() or len(TOKEN.findall(text)) == 1):
            out += [("delete", text), ("insert", text)]
        else:
            out.append((operation, text))
    # Order the removed words before the added ones within each stretch of changes.
    ordered: list[Run] = []
    stretch: list[Run] = []
    for run in [*out, ("equal", "")]:
        if run[0] == "equal":
            ordered += [r for r in stretch if r[0] == "delete"] + [r for r in stretch if r[0] == "insert"]
            stretch = []
            ordered.append(run)
        else:
            stretch.append(run)
    return ordered[:-1]


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for operation, text in runs:
        if not text:
            continue
        if merged and merged[-1][0] == operation:
            merged[-1] = (operation, merged[-1][1] + text)
        else:
            merged.append((operation, text))
    return merged


# How the pages of one language are read: (file name, text) -> the page as the site reads it.
PageReader = Callable[[str, str], Page]


def page_reader(project: Project, language: str) -> PageReader:
    """The site's reading of a language's page from any text of it (a file at an old edition's tag,
    or as it is now), through the content model and the one rendering."""
    # The download panels are not part of the text (the glossary's table is: see texts_since).
    panels = {DOWNLOADS_MARKER: str, FORMS_MARKER: str}

    def read(name: str, text: str) -> Page:
        return page_from_text(project, language, name, expand_markers(text, panels))[0]

    return read


def compare_pages(
    name: str, old_text: str | None, new_text: str | None, read: PageReader
) -> PageChange | None:
    """How a page changed between two editions (whole files, front matter included); None if its
    reader-visible text is the same."""
    if old_text == new_text:
        return None
    if new_text is None:
        return PageChange(name, page_title(old_text) or name, "removed")
    if old_text is None:
        return PageChange(name, page_title(new_text) or name, "added")
    old, new = read(name, old_text), read(name, new_text)
    before = [(old.title, True), *reader_text(old)]
    after = [(new.title, True), *reader_text(new)]
    if before == after:
        return None
    return PageChange(name, new.title or name, "changed", tuple(_passages(before, after)))


def page_title(text: str) -> str:
    """A page file's title (its front matter's), '' if it has none."""
    return _title_and_body(text)[0]


def _title_and_body(text: str | None) -> tuple[str, str]:
    if text is None:
        return "", ""
    meta, body, _, _ = split_front_matter(text, "")
    title = meta.get("title") if isinstance(meta, dict) else None
    return str(title or ""), body


def _passages(before: list[tuple[str, bool]], after: list[tuple[str, bool]]) -> list[Passage]:
    """The changed paragraphs, each with the heading of the section it is in ('' under the title)."""
    sections = _section_of_each(after)
    passages = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = [text for text, _ in before[i1:i2]], [text for text, _ in after[j1:j2]]
        section = sections[min(j1, len(sections) - 1)]  # a removal at the end: the last section
        if tag == "replace" and len(old) == len(new):
            paragraphs = [tuple(word_diff(a, b)) for a, b in zip(old, new, strict=True)]
        elif tag == "replace":
            paragraphs = [tuple(word_diff("\n".join(old), "\n".join(new)))]
        elif tag == "delete":
            paragraphs = [(("delete", text),) for text in old]
        else:
            paragraphs = [(("insert", text),) for text in new]
        passages.append(Passage(section, tuple(paragraphs)))
    return passages


def _section_of_each(paragraphs: list[tuple[str, bool]]) -> list[str]:
    """For each paragraph, the heading it falls under: itself for a heading, '' before the first."""
    sections, current = [], ""
    for index, (text, is_heading) in enumerate(paragraphs):
        if is_heading and index:  # the first "heading" is the page title
            current = text
        sections.append(current)
    return sections


Texts = dict[str, tuple[str | None, str | None]]  # file name -> (text then, text now)


def texts_since(project: Project, language: str, revision: str) -> Texts:
    """Each navigation page of a language: its file's text at a git revision (the previous edition's
    tag, a pull request's base) and in the working tree (None where the file did not or does not exist)."""
    folder = project.language_dir(language)
    glossary_then = _glossary_table(
        project, language, git.file_at(project.root, revision, project.glossary_path)
    )
    glossary_now = _glossary_table(
        project,
        language,
        project.glossary_path.read_text(encoding="utf-8") if project.glossary_path.is_file() else None,
    )
    texts: Texts = {}
    for entry in project.nav:
        path = folder / entry.file
        old = git.file_at(project.root, revision, path)
        new = path.read_text(encoding="utf-8") if path.is_file() else None
        # The glossary page shows the glossary file's table: a changed term is a change of that page.
        texts[entry.file] = (
            old and old.replace(GLOSSARY_MARKER, glossary_then),
            new and new.replace(GLOSSARY_MARKER, glossary_now),
        )
    return texts


def _glossary_table(project: Project, language: str, text: str | None) -> str:
    if text is None:
        return ""
    codes = [lang.code for lang in project.languages]
    try:
        terms = parse_glossary(text, project.display(project.glossary_path), codes)
    except FindingsError:
        return ""  # an old glossary the checks of its day accepted, unreadable now: compare the pages alone
    return glossary_table(terms, language, codes)


def compare_language(pages: Texts, read: PageReader) -> list[PageChange]:
    """Every changed page of one language, in the given (navigation) order.
    `pages` maps a file name to its (previous, current) file text."""
    return [change for name, (old, new) in pages.items() if (change := compare_pages(name, old, new, read))]


def render_markdown(changes: list[PageChange], words: dict[str, str]) -> str:
    """The changed chapters for the "What changed" page: a heading per chapter linking to it (so the
    page's table of contents lists them), then its changed passages as HTML.

    `words` holds the labels in the page's language (labels.py, keys `changes.*`)."""
    if not changes:
        return f"<p>{html.escape(words['changes.none'])}</p>"
    parts = []
    for change in changes:
        title = _markdown_text(change.title)
        heading = title if change.status == "removed" else f"[{title}]({change.name})"
        status = html.escape(words[f"changes.{change.status}"])
        parts += [f"## {heading}", "", f'<p class="changes-status">{status}</p>', ""]
        for passage in change.passages:
            section = words["changes.section"].format(section=passage.section) if passage.section else ""
            shown = f'<p class="changes-section">{html.escape(section)}</p>' if section else ""
            body = "".join(_paragraph(runs, words) for runs in passage.paragraphs)
            parts += [f'<div class="changes-passage">{shown}{body}</div>', ""]
    return "\n".join(parts)


def _markdown_text(text: str) -> str:
    """Plain text as Python-Markdown reads it literally: HTML characters as entities, its own
    escapable characters escaped (it shows a backslash before any other, e.g. before a comma)."""
    return PYTHON_MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def _paragraph(runs: tuple[Run, ...], words: dict[str, str]) -> str:
    out = []
    for operation, text in runs:
        escaped = html.escape(text).replace("\n", "<br>")
        if operation == "equal":
            out.append(escaped)
        else:
            tag = "del" if operation == "delete" else "ins"
            # Screen readers do not announce <del> and <ins>: say it in words they read out.
            said = html.escape(words[f"changes.{operation}"])
            out.append(
                f'<{tag}><span class="visually-hidden">[{said}: </span>{escaped}'
                f'<span class="visually-hidden">]</span></{tag}>'
            )
    return f"<p>{''.join(out)}</p>"


def changes_page(project: Project, language: str, edition: str | None, this_page: str) -> str:
    """The "What changed" page's content for one language: the text compared with the previous
    released edition's, read from git (the working tree against the tag `v<previous>`). `edition`
    is the released edition being built; None for the work in progress (compared with the last)."""
    words = {key: label(language, key) for key in CHANGES_LABELS}
    previous = previous_release(released_versions(project.root), edition)
    if previous is None:
        return f"<p>{html.escape(words['changes.first'])}</p>"
    intro_key = "changes.compared" if edition else "changes.compared_dev"
    date = git.tag_date(project.root, previous.tag)
    intro = words[intro_key].format(version=edition, previous=previous, date=date)
    pages = {
        name: texts
        for name, texts in texts_since(project, language, previous.tag).items()
        if name != this_page
    }
    listed = render_markdown(compare_language(pages, page_reader(project, language)), words)
    return "\n".join(
        [
            f"<p>{html.escape(intro)}</p>",
            "",
            f'<p class="changes-legend">{html.escape(words["changes.legend"])}</p>',
            "",
            listed,
        ]
    )
