"""The content model: every page of every language, with its front matter, headings, links and images.

Everything downstream (checks, site plugin, editions) reads pages through this module, so they agree on
what a chapter, an anchor or an image is. A page's headings, links, images, tables and lists are those
of its rendering by the site's own Markdown configuration (`guidelines.rendering`): what the site
shows. The line patterns here only find where in the file each of them was written, so that every
finding names its line.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import yaml
from markdown.extensions.toc import slugify

from guidelines.findings import Finding, FindingsError, Severity
from guidelines.project import Language, Project
from guidelines.rendering import render

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
# As Python-Markdown reads a heading: "#" alone is an empty one, "#word" needs no space.
HEADING = re.compile(r"^(#{1,6})(?!#)\s*(.*?)\s*$")
HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
# Inline links and images: ![alt](src "title") / [text](target). Reference-style links are rare here.
# A link's text may hold one level of brackets. Possessive (`*+`): no exponential backtracking.
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*+)\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
# A code span, as Python-Markdown pairs backticks: a run of n opens, the next run of exactly n closes.
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)")  # "\`" is a plain backtick
# A box as Python-Markdown's admonition extension reads it: `!!! kind [more classes] ["Title"]`.
ADMONITION = re.compile(r'^(!!!) ?(?P<kind>[\w-]+)(?P<classes>(?: +[\w-]+)*)(?: +"(?P<title>.*?)")? *$')
# The kinds of box (`!!! kind`) the site's style shows; the HTML allowlist admits them as classes.
ADMONITION_KINDS = {"note", "tip", "warning", "compare", "example", "info", "danger", "abstract", "quote"}
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

FRONT_MATTER_KEYS = {"title", "subtitle", "source", "description", "funding", "programme", "form"}
# `form: true`: the page is a form or checklist, also published on its own (editions/forms.py).
FORM_KEY = "form"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    explicit_id: bool
    line: int


@dataclass(frozen=True)
class InlineLink:
    """A link or image as written on a line: where it is, and its parts."""

    start: int
    end: int
    is_image: bool
    text: str
    target: str
    written: str  # the whole link as written


def inline_links(line: str) -> list[InlineLink]:
    """The links and images of a line, outside code spans (which bind first, as in Python-Markdown:
    a bracket inside `...` neither opens nor closes a link)."""
    masked = CODE_SPAN.sub(lambda m: m.group(1) + "x" * len(m.group(2)) + m.group(1), line)
    return [
        InlineLink(
            m.start(),
            m.end(),
            m.group(1) == "!",
            line[m.start(2) : m.end(2)],
            line[m.start(3) : m.end(3)],
            line[m.start() : m.end()],
        )
        for m in LINK.finditer(masked)
    ]


def replace_links(line: str, replacement: Callable[[InlineLink], str]) -> str:
    """The line with each link and image (outside code spans) replaced by `replacement(link)`."""
    parts, position = [], 0
    for link in inline_links(line):
        parts += [line[position : link.start], replacement(link)]
        position = link.end
    return "".join([*parts, line[position:]])


@dataclass(frozen=True)
class Link:
    target: str
    text: str
    line: int
    is_image: bool

    @property
    def is_external(self) -> bool:
        return bool(EXTERNAL.match(self.target)) or self.target.startswith("//")

    def split(self) -> tuple[str, str]:
        """(file part, anchor part) of an internal target."""
        file, _, anchor = self.target.partition("#")
        return file, anchor


def resolve(page: Page, target: str) -> str:
    """A link target as a file name relative to the language folder ('' for the page itself)."""
    if not target:
        return page.name
    return posixpath.normpath(posixpath.join(posixpath.dirname(page.name), target))


@dataclass(frozen=True)
class Admonition:
    kind: str
    title: str | None
    line: int


@dataclass(frozen=True)
class Part:
    """A word or passage marked as written in another language than its page's
    (`*socialinė globa*{lang=lt}`, a glossary column): a screen reader reads it in that language's
    voice, and the spelling check checks it with that language's dictionary."""

    language: str  # the language's code: "lt" for lang="lt-LT"
    text: str
    line: int


@dataclass
class Reading:
    """What a page's rendering holds, each where the file writes it."""

    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    admonitions: list[Admonition] = field(default_factory=list)
    tables: int = 0
    list_blocks: int = 0


@dataclass
class Page:
    """One Markdown file of one language."""

    language: str
    name: str  # file name relative to the language folder, e.g. "04-legal-framework-latvia.md"
    path: Path
    front_matter: dict
    body: str
    body_line: int  # line number in the file where the body starts (1-based)
    # The site's reading of a body (`guidelines.rendering`). A page is rendered when something first
    # asks what it holds, so loading every page (the site's status table does) costs no rendering.
    render: Callable[[str], str] | None = field(default=None, repr=False, compare=False)
    front_matter_lines: dict[str, int] = field(default_factory=dict)  # key -> the line it is written on

    @cached_property
    def html(self) -> str:
        """The body as the site renders it."""
        return self.render(self.body) if self.render else ""

    @cached_property
    def reading(self) -> Reading:
        return read_rendering(self)

    @property
    def headings(self) -> list[Heading]:
        return self.reading.headings

    @property
    def links(self) -> list[Link]:
        return self.reading.links

    @property
    def admonitions(self) -> list[Admonition]:
        return self.reading.admonitions

    @property
    def tables(self) -> int:
        return self.reading.tables

    @property
    def list_blocks(self) -> int:
        return self.reading.list_blocks

    def line_naming(self, *needles: str) -> int:
        """The first line outside code that holds one of the needles (a reference definition, a raw
        HTML tag, a setext heading's text): where the site's reading of something was written; the
        body's first line when none does."""
        return _line_of(self, self.body.split("\n"), code_mask(self.body.split("\n")), *needles)

    def lines_matching(self, pattern: re.Pattern) -> list[int]:
        """The line of each match of the pattern outside code, in the file's order (a line that holds
        two matches twice): where each of a repeated word's readings was written."""
        lines = self.body.split("\n")
        in_code = code_mask(lines)
        return [
            self.body_line + index
            for index, line in enumerate(lines)
            if not in_code[index]
            for _ in pattern.finditer(line)
        ]

    @property
    def parts_in_other_languages(self) -> list[Part]:
        reading, starts = _reading_order(self.tree)
        parts = []
        for element in self.tree.iter():
            code = (element.get("lang") or "").split("-")[0].lower()
            if code and code != self.language and (text := " ".join(element.text_content().split())):
                parts.append(Part(code, text, self._line_of_reading(reading, text, starts[element])))
        return parts

    def _line_of_reading(self, reading: str, text: str, start: int) -> int:
        """The line of the text the rendering reads at `start` (see line_of_reading)."""
        pattern = written_words(r"\s+".join(map(re.escape, text.split())))
        readings = [match.start() for match in pattern.finditer(reading)]
        return self.line_of_reading(readings, start, self.lines_matching(pattern), text)

    def line_of_reading(self, readings: list, reading, lines: list[int], *needles: str) -> int:
        """The line of one of the places where the rendering reads a text (`readings`, in reading
        order): the n-th of the `lines` that write it, where the rendering reads it n times before (a
        word marked on one line and written unmarked on another); the first line naming `needles`
        when the two counts differ (the text is split over two lines, say)."""
        if len(lines) == len(readings) and reading in readings:
            return lines[readings.index(reading)]
        return self.line_naming(*needles)

    @cached_property
    def tree(self):
        """The rendering parsed as a browser reads it (a stray `</div>` or a doctype ends up inside
        <body>, as on the site)."""
        return lxml.html.document_fromstring(f"<!DOCTYPE html><html><body>{self.html}</body></html>").body

    @property
    def title(self) -> str:
        return str(self.front_matter.get("title", ""))

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".md").replace("/", "-")

    @property
    def anchors(self) -> set[str]:
        return {heading.id for heading in self.headings}

    @property
    def images(self) -> list[Link]:
        return [link for link in self.links if link.is_image]


def written_words(words: str) -> re.Pattern:
    """Where the body writes `words` (a regular expression), but not as part of a longer word or of
    an address (a link's target `https://e-seimas.lrs.lt/…`, `…/dienas-centrs`), which the
    rendering's text does not hold."""
    return re.compile(rf"(?<![\w./@]){words}(?![\w@/]|[.-][^\W\d_])")


def _reading_order(body) -> tuple[str, dict]:
    """The rendering's text in reading order, and where each element's text starts in it."""
    pieces: list[str] = []
    starts: dict = {}
    length = 0

    def read(element) -> None:
        nonlocal length
        starts[element] = length
        if element.text:
            pieces.append(element.text)
            length += len(element.text)
        for child in element:
            read(child)
            if child.tail:
                pieces.append(child.tail)
                length += len(child.tail)

    read(body)
    return "".join(pieces), starts


# A chapter is tens of kilobytes; a file this large is a mistake (a pasted export, a binary) and would
# hold up every build of the editions.
MAX_PAGE_BYTES = 2 * 1024 * 1024


def read_text(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """Read a Markdown file as the site and editions will: UTF-8, LF line ends, no byte-order mark."""
    findings: list[Finding] = []
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Finding(shown, 0, "READ", f"cannot read the file: {error.strerror}")]
    if len(raw) > MAX_PAGE_BYTES:
        return None, [
            Finding(
                shown,
                0,
                "PAGE_TOO_LARGE",
                f"the file is {len(raw) / 1048576:.1f} MB; a page may be at most "
                f"{MAX_PAGE_BYTES // 1048576} MB",
                hint="split it into chapters, or check that it is really text",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        findings.append(
            Finding(
                shown,
                1,
                "ENCODING",
                "the file starts with a byte-order mark",
                Severity.WARNING,
                "save the file as UTF-8 without BOM",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            *findings,
            Finding(shown, line, "ENCODING", "the file is not valid UTF-8", hint="save the file as UTF-8"),
        ]
    if "\r" in text:
        first = text.index("\r")
        line = text[:first].count("\n") + 1
        kind = "Windows (CRLF)" if text.startswith("\r\n", first) else "old Mac (CR)"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        findings.append(
            Finding(
                shown,
                line,
                "LINE_ENDS",
                f"the file has {kind} line ends",
                Severity.WARNING,
                "the toolkit reads them correctly; an editor set to LF (see .editorconfig) avoids the noise",
            )
        )
    return text, findings


FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)


def front_matter_bounds(text: str) -> tuple[int, int] | None:
    """Where a file's front matter ends: the start of its closing line (`---` or `...`) and the end
    of that line; None when the file has none or it is not closed. (Reading and writing both use it.)"""
    if not text.startswith("---\n"):
        return None
    end = FRONT_MATTER_END.search(text, 4)
    return (end.start(), end.end()) if end else None


def split_front_matter(text: str, shown: str) -> tuple[dict, str, int, list[Finding]]:
    """Front matter (between `---` lines at the top), the body, and the body's first line number."""
    if not text.startswith("---\n"):
        return (
            {},
            text,
            1,
            [
                Finding(
                    shown,
                    1,
                    "FRONT_MATTER",
                    "the page has no front matter",
                    hint='start the file with three lines: ---, title: "Chapter title", ---',
                )
            ],
        )
    bounds = front_matter_bounds(text)
    if bounds is None:
        return (
            {},
            text,
            1,
            [Finding(shown, 1, "FRONT_MATTER", "the front matter is not closed with a --- line")],
        )
    block = text[4 : bounds[0]]
    body = text[bounds[1] :].removeprefix("\n")
    body_line = block.count("\n") + 3
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        return (
            {},
            body,
            body_line,
            [
                Finding(
                    shown,
                    line,
                    "FRONT_MATTER",
                    f"the front matter is not valid YAML: {problem}",
                    hint='put text that contains a colon in quotes: title: "Planning: first steps"',
                )
            ],
        )
    if not isinstance(data, dict):
        return (
            {},
            body,
            body_line,
            [Finding(shown, 2, "FRONT_MATTER", "the front matter must be 'key: value' lines")],
        )
    findings = []
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        findings.append(
            Finding(
                shown,
                2,
                "FRONT_MATTER",
                "the front matter has no 'title'",
                hint='add a line: title: "Chapter title"',
            )
        )
    if FORM_KEY in data and not isinstance(data[FORM_KEY], bool):
        lines = enumerate(block.split("\n"), start=2)
        line = next((number for number, text in lines if text.startswith(f"{FORM_KEY}:")), 2)
        findings.append(
            Finding(
                shown,
                line,
                "FRONT_MATTER",
                f"'{FORM_KEY}' is true or false, not {data[FORM_KEY]!r}",
                hint=f"write {FORM_KEY}: true for a form or checklist also published on its own, or no line",
            )
        )
        data = {key: value for key, value in data.items() if key != FORM_KEY}
    for key in sorted(set(data) - FRONT_MATTER_KEYS):
        findings.append(
            Finding(
                shown,
                2,
                "FRONT_MATTER",
                f"unknown front matter key '{key}'",
                Severity.WARNING,
                f"known keys: {', '.join(sorted(FRONT_MATTER_KEYS))}",
            )
        )
    return data, body, body_line, findings


def front_matter_key_lines(text: str) -> dict[str, int]:
    """The line of the file on which each front-matter key is written (for a valid front matter)."""
    bounds = front_matter_bounds(text)
    try:
        node = yaml.compose(text[4 : bounds[0]], Loader=yaml.SafeLoader) if bounds else None
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 2 for key, _ in node.value}  # +1 for the "---" line


def fence_spans(lines: list[str]) -> list[tuple[int, int | None]]:
    """(first, last) line index of each fenced code block; last is None for a fence never closed.
    As Python-Markdown reads fences: only the same run (``` or ````, ~~~) at the same indentation
    closes one, so a 4-backtick fence may hold a 3-backtick sample."""
    spans: list[tuple[int, int | None]] = []
    fence, start = None, 0
    for index, line in enumerate(lines):
        if fence is None:
            if match := FENCE.match(line):
                fence, start = match.group(1) + match.group(2), index
        elif line.rstrip(" ") == fence:
            spans.append((start, index))
            fence = None
    if fence is not None:
        spans.append((start, None))
    return spans


def code_mask(lines: list[str]) -> list[bool]:
    """True for lines inside fenced code blocks, which hold no headings, links or boxes."""
    mask = [False] * len(lines)
    for first, last in fence_spans(lines):
        for index in range(first, len(lines) if last is None else last + 1):
            mask[index] = True
    return mask


def heading_id(text: str) -> tuple[str, str, bool]:
    """(visible text, id, explicit?) of a heading line's content, the way Python-Markdown's toc sees it."""
    attrs = HEADING_ATTRS.search(text)
    if attrs:
        visible = text[: attrs.start()].rstrip().rstrip("#").rstrip()
        for token in attrs.group(1).split():
            if token.startswith("#"):
                return visible, token[1:], True
        text = visible
    visible = text.rstrip("#").rstrip()
    return visible, slugify(visible, "-"), False


@dataclass(frozen=True)
class _Written:
    """A heading, link or image where the line patterns found it in the file."""

    key: str  # a heading's id, a link's target
    line: int
    explicit_id: bool = False


def _written(
    page: Page, reading: Reading, lines: list[str], in_code: list[bool]
) -> tuple[list[_Written], list[_Written]]:
    """Where the file writes its headings (ATX, also inside boxes) and inline links and images."""
    headings, links = [], []
    boxes: list[int] = []  # the indentation of the text of each box (!!! …) the line may be in
    for index, line in enumerate(lines):
        number = page.body_line + index
        if in_code[index]:
            continue
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            while boxes and indent < boxes[-1]:
                boxes.pop()
        # A box's text is Markdown of its own: a heading may sit inside, indented.
        inner = line[boxes[-1] :] if boxes else line
        if ADMONITION.match(inner):
            boxes.append((boxes[-1] if boxes else 0) + 4)
        if heading := HEADING.match(inner):
            _, identifier, explicit = heading_id(heading.group(2))
            headings.append(_Written(identifier, number, explicit))
        if admonition := ADMONITION.match(line):
            reading.admonitions.append(
                Admonition(admonition.group("kind"), admonition.group("title"), number)
            )
        links.extend(_Written(unquote(link.target), number) for link in inline_links(line))
    return headings, links


def _line_of(page: Page, lines: list[str], in_code: list[bool], *needles: str) -> int:
    """The first line outside code that holds one of the needles (a reference definition, a raw HTML
    tag, a setext heading's text): where the site's reading of something was written."""
    for needle in needles:
        if needle:
            for index, line in enumerate(lines):
                if not in_code[index] and needle in line:
                    return page.body_line + index
    return page.body_line


def _take(written: list[_Written], key: str) -> _Written | None:
    """The first not yet matched place where `key` was written (and mark it matched). A heading's id
    may carry the suffix the site adds to repeated ids (`plan_1`, and `_1` for an empty heading)."""
    for index, place in enumerate(written):
        if place.key == key or re.fullmatch(re.escape(place.key) + r"_\d+", key):
            return written.pop(index)
    return None


def read_rendering(page: Page) -> Reading:
    """The page's headings, links, images, tables and lists from its rendering, each at the line
    where it was written (or, for what the line patterns do not see, such as a setext heading or a
    reference-style link, the nearest line that names it)."""
    reading = Reading()
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    headings, links = _written(page, reading, lines, in_code)
    body = page.tree
    for element in body.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        for permalink in element.find_class("headerlink"):
            permalink.drop_tree()
        text = " ".join(element.text_content().split())
        identifier = element.get("id", "")
        place = _take(headings, identifier)
        line = place.line if place else _line_of(page, lines, in_code, text, text[:40])
        reading.headings.append(
            Heading(int(element.tag[1]), text, identifier, bool(place and place.explicit_id), line)
        )
    for element in body.iter("a", "img"):
        if element.tag == "a" and (element.get("href") is None or _classes(element) & FURNITURE_LINKS):
            continue
        is_image = element.tag == "img"
        target = unquote(element.get("src" if is_image else "href") or "")
        text = element.get("alt", "") if is_image else " ".join(element.text_content().split())
        place = _take(links, target)
        line = place.line if place else _line_of(page, lines, in_code, target, text)
        reading.links.append(Link(target, text, line, is_image))
    reading.tables = len(list(body.iter("table")))
    reading.list_blocks = sum(  # lists as written: not the footnotes' list, not a list inside a list
        1
        for element in body.iter("ul", "ol")
        if not any(a.tag in ("ul", "ol") or "footnote" in _classes(a) for a in element.iterancestors())
    )
    return reading


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


# Links the rendering adds around the text: permalinks, footnote references and their way back.
FURNITURE_LINKS = {"headerlink", "footnote-ref", "footnote-backref"}


def parse_page(
    language: str, name: str, path: Path, text: str, shown: str, render: Callable[[str], str]
) -> tuple[Page, list[Finding]]:
    """A page read from its text; `render` is the site's reading of a body (`guidelines.rendering`)."""
    front_matter, body, body_line, findings = split_front_matter(text, shown)
    lines = front_matter_key_lines(text) if front_matter else {}
    return Page(language, name, path, front_matter, body, body_line, render, lines), findings


def load_page(project: Project, language: Language | str, name: str) -> tuple[Page | None, list[Finding]]:
    code = language if isinstance(language, str) else language.code
    path = project.language_dir(code) / name
    shown = project.display(path)
    text, findings = read_text(path, shown)
    if text is None:
        return None, findings
    page, parse_findings = page_from_text(project, code, name, text)
    return page, findings + parse_findings


def page_from_text(project: Project, language: str, name: str, text: str) -> tuple[Page, list[Finding]]:
    """A language's page read from a text of it (the file now, or as it was at an old edition's tag),
    rendered as the site renders it, too deep a nesting refused."""
    path = project.language_dir(language) / name
    shown = project.display(path)

    def reading(body: str) -> str:
        return _render_or_refuse(project, body, shown, page.body_line)

    page, findings = parse_page(language, name, path, text, shown, reading)
    return page, findings


def _render_or_refuse(project: Project, body: str, shown: str, body_line: int) -> str:
    """The rendering; a body nested so deep that Python-Markdown would take minutes or overflow its
    recursion is refused at the line where the nesting goes too deep, as the nesting check refuses
    shallower excess in the rendering."""
    from guidelines.checks.nesting import overflowing, too_deep_to_read  # the check imports this module

    if refused := too_deep_to_read(shown, body, body_line):
        raise FindingsError([refused])
    try:
        return render(project, body)
    except RecursionError:
        raise FindingsError([overflowing(shown, body, body_line)]) from None


@dataclass
class Content:
    """All pages of the navigation, per language, in navigation order."""

    project: Project
    pages: dict[str, list[Page]]
    unreadable: set[tuple[str, str]] = field(default_factory=set)  # (language, name) that failed to load

    def page(self, language: str, name: str) -> Page | None:
        return next((page for page in self.pages.get(language, []) if page.name == name), None)

    def form_pages(self, language: str) -> list[Page]:
        """The edition's pages marked `form: true`: each is also published on its own."""
        return [page for page in self.edition_pages(language) if page.front_matter.get(FORM_KEY) is True]

    def focused_on(self, pages: list[Page]) -> Content:
        """The same content, with only `pages` to check: a rule looks up any other page it compares
        them with (a link's target, a translation's source) in the whole content."""
        focus = {id(page) for page in pages}
        kept = {code: [page for page in listed if id(page) in focus] for code, listed in self.pages.items()}
        return _Focused(self.project, kept, self.unreadable, whole=self)

    def edition_pages(self, language: str) -> list[Page]:
        """The pages of one language's edition; an untranslated page falls back to the source page."""
        source = self.project.source_language.code
        pages = []
        for entry in self.project.edition_files:
            page = self.page(language, entry.file) or self.page(source, entry.file)
            if page is not None:
                pages.append(page)
        return pages


@dataclass
class _Focused(Content):
    whole: Content | None = None

    def page(self, language: str, name: str) -> Page | None:
        return self.whole.page(language, name) if self.whole else super().page(language, name)


def links_leaving_docs(project: Project) -> list[Finding]:
    """Every symbolic link under docs/ (to a file or a folder) whose target is outside docs/.

    Git stores a link as it is, so a pull request can add `docs/en/images/config.txt ->
    ../../../.git/config` (the checkout's credentials) or `-> /proc/self/environ` (the build's
    environment), and the site would publish the file. Refused here, before any file is read or copied;
    links are not followed, so a linked folder is refused as a whole."""
    docs = project.docs_dir.resolve()
    if not docs.is_relative_to(project.root.resolve()):
        # The editions load pictures from inside the project (Typst's root): docs/ must be in it.
        link = project.docs_dir.is_symlink()
        place = "move the folder itself into the project folder"
        where = f"is a link to '{os.readlink(project.docs_dir)}'" if link else f"is {docs}"
        return [
            Finding(
                os.path.relpath(project.docs_dir, project.root),
                0,
                "FILE_OUTSIDE",
                f"the docs folder {where}, outside the project folder",
                hint=place + (", in place of the link" if link else ""),
            )
        ]
    findings = []
    for folder, folders, files in os.walk(project.docs_dir):
        folders.sort()
        for name in sorted(folders) + sorted(files):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(docs):
                findings.append(
                    Finding(
                        path.relative_to(project.root).as_posix(),  # the link's path, not its target's
                        0,
                        "FILE_OUTSIDE",
                        f"the {'folder' if name in folders else 'file'} is a link to "
                        f"'{os.readlink(path)}', outside the docs folder, whose content would be published",
                        hint="delete the link and put a copy of the file itself in docs/, if it is meant "
                        "to be published",
                    )
                )
    return findings


def load_content(project: Project) -> tuple[Content, list[Finding]]:
    """Load every navigation page in every language; a missing translation falls back to the source."""
    findings: list[Finding] = links_leaving_docs(project)
    outside = {finding.path for finding in findings}
    pages: dict[str, list[Page]] = {}
    config = project.display(project.nav_file)  # the entries' lines are this file's
    source = project.source_language.code
    listed = {entry.file for entry in project.nav}
    unreadable: set[tuple[str, str]] = set()
    for language in project.languages:
        pages[language.code] = []
        folder = project.language_dir(language)
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            name = path.relative_to(folder).as_posix()
            if name not in listed and not project.is_outside_nav(name):
                findings.append(
                    Finding(
                        project.display(path),
                        0,
                        "NOT_IN_NAV",
                        "the page is not in the navigation",
                        Severity.WARNING,
                        "add it to 'nav' in mkdocs.yml, or to 'not_in_nav' if that is meant",
                    )
                )
        for entry in project.nav:
            path = project.language_dir(language) / entry.file
            if not path.is_file():
                if language.is_source:
                    # A folder or a pipe by that name exists, but is no page to read.
                    what = "does not exist"
                    if path.exists():
                        what = "is a folder, not a file" if path.is_dir() else "is not a plain file"
                    findings.append(
                        Finding(
                            config,
                            entry.line,
                            "NAV_MISSING",
                            f"the navigation lists '{entry.file}' but {project.display(path)} {what}",
                            hint="create the file or remove it from 'nav' in mkdocs.yml",
                        )
                    )
                else:
                    findings.append(
                        Finding(
                            project.display(path),
                            0,
                            "TRANSLATION_MISSING",
                            f"no {language.name} translation of '{entry.file}'; readers get the "
                            f"{project.source_language.name} page",
                            Severity.WARNING,
                            f"copy docs/{source}/{entry.file} to docs/{language.code}/ and translate it",
                        )
                    )
                continue
            if any(
                parent.relative_to(project.root).as_posix() in outside
                for parent in (path, *path.parents)
                if parent.is_relative_to(project.root)
            ):  # reported above: not even read
                unreadable.add((language.code, entry.file))
                continue
            page, page_findings = load_page(project, language, entry.file)
            findings.extend(page_findings)
            if page is not None:
                pages[language.code].append(page)
            else:
                unreadable.add((language.code, entry.file))
    return Content(project, pages, unreadable), findings


def load_or_fail(project: Project) -> tuple[Content, list[Finding]]:
    content, findings = load_content(project)
    if any(finding.severity is Severity.ERROR for finding in findings):
        raise FindingsError(findings)
    return content, findings
