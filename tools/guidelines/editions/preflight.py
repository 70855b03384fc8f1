"""Preflight: look at every typeset page as a publisher would, before an edition is published.

A PDF is read back with poppler's `pdftotext -bbox-layout` (every word with its box, in reading
order), its bookmarks and its structure tree (pikepdf). It fails, naming the language, the page and
the heading above the fault (at the `path:line` where that heading is written), when text leaves
the type area, two lines of text overprint, a heading or a box's title is the last thing on its
page, a table row is cut in two by a page break, or a reader's search would not find the words of
the source. Softer faults
(a page left less than half full before the next page's first block, three or more hyphenated
lines in a row) are warnings. An EPUB is checked with EPUBCheck (editions/epubcheck.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf

from guidelines.editions import TEMPLATES
from guidelines.editions.document import EditionSource, SourceHeading
from guidelines.findings import Finding, Severity, ToolError
from guidelines.pandoc import run_pandoc

# The type area of templates/guidelines.typ (A4; margins x 2.4 cm, top 2.6 cm, bottom 2.4 cm), in
# PDF points from the top left, as pdftotext measures; glyphs may overhang it by a little.
CM = 72 / 2.54
PAGE_WIDTH, PAGE_HEIGHT = 21.0 * CM, 29.7 * CM
TYPE_AREA = (2.4 * CM, 2.6 * CM, PAGE_WIDTH - 2.4 * CM, PAGE_HEIGHT - 2.4 * CM)
OVERHANG = 3.0
# Typst hangs a line's final hyphen or punctuation into the margin, by up to a third of an em (20 pt
# chapter titles: about 6 pt).
SIDE_OVERHANG = 7.0
SOFT_HYPHEN = "\u00ad"
# What a reader's search must find: every occurrence of each word of the source, or nearly.
SEARCH_RATIO = 0.99
SEARCH_WORD = re.compile(r"[^\W\d_]{4,}")
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    line: int  # the number of the line on its page, in reading order


@dataclass
class Page:
    number: int  # 1 = the first page of the file
    words: list[Word]
    lines: list[list[Word]]


def read_pages(path: Path) -> list[Page]:
    """Every page of the PDF, with its words and lines in reading order."""
    if shutil.which("pdftotext") is None:
        raise ToolError("the preflight needs pdftotext: install poppler-utils (make system-packages)")
    result = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=False)
    if result.returncode != 0:
        raise ToolError(f"pdftotext could not read {path.name}: {result.stderr.decode(errors='replace')}")
    root = ElementTree.fromstring(result.stdout)
    namespace = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for number, page in enumerate(root.iter(f"{namespace}page"), start=1):
        lines: list[list[Word]] = []
        for line in page.iter(f"{namespace}line"):
            words = [
                Word(
                    word.text or "",
                    float(word.get("xMin")),
                    float(word.get("yMin")),
                    float(word.get("xMax")),
                    float(word.get("yMax")),
                    len(lines),
                )
                for word in line.iter(f"{namespace}word")
            ]
            if words:
                lines.append(words)
        pages.append(Page(number, [word for line in lines for word in line], lines))
    return pages


@dataclass(frozen=True)
class Heading:
    title: str
    page: int
    top: float  # from the top of the page
    level: int  # 1: a chapter


def read_headings(path: Path) -> list[Heading]:
    """The bookmarks (every numbered heading), with the page and height they point at."""
    headings = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as outline:
            stack = [(item, 1) for item in reversed(outline.root)]
            while stack:
                item, level = stack.pop()
                stack.extend((child, level + 1) for child in reversed(item.children))
                destination = item.destination
                if isinstance(destination, pikepdf.Array) and len(destination) >= 4:
                    number = pages.get(destination[0].objgen)
                    top = destination[3]
                    if number and isinstance(top, (int, float, Decimal)):
                        headings.append(Heading(item.title, number, PAGE_HEIGHT - float(top), level))
    return sorted(headings, key=lambda heading: (heading.page, heading.top))


def heading_above(page: int, headings: list[Heading]) -> int | None:
    """The index of the last heading that starts on or before the page."""
    above = [index for index, heading in enumerate(headings) if heading.page <= page]
    return above[-1] if above else None


def written_headings(headings: list[Heading], written: tuple[SourceHeading, ...]) -> dict[int, SourceHeading]:
    """Each bookmark's heading as written in the source, matched in order by its text (a bookmark
    carries its number, "H.5 Glossary"; a heading the typesetter does not bookmark is passed over)."""
    matched, start = {}, 0
    for index, heading in enumerate(headings):
        title = _squeeze(heading.title)
        for position in range(start, len(written)):
            text = _squeeze(written[position].text)
            if text and title.endswith(text):
                matched[index], start = written[position], position + 1
                break
    return matched


def _is_running_header(line: list[Word]) -> bool:
    return all(word.y1 <= TYPE_AREA[1] + OVERHANG for word in line)


def _is_page_number(line: list[Word]) -> bool:
    return len(line) == 1 and line[0].text.isdigit() and line[0].y0 >= TYPE_AREA[3]


def body_lines(page: Page) -> list[list[Word]]:
    """The lines of the page's type area: without the running header and the page number."""
    return [line for line in page.lines if not _is_running_header(line) and not _is_page_number(line)]


def outside_type_area(page: Page) -> list[str]:
    left, _, right, bottom = TYPE_AREA
    faults = []
    for line in body_lines(page):
        text = " ".join(word.text for word in line)
        if any(word.x0 < left - SIDE_OVERHANG or word.x1 > right + SIDE_OVERHANG for word in line):
            faults.append(f"text runs into the side margin: “{text[:60]}”")
        elif any(word.y1 > bottom + OVERHANG for word in line):
            faults.append(f"text runs into the bottom margin: “{text[:60]}”")
    return faults


def _area(word: Word) -> float:
    return (word.x1 - word.x0) * (word.y1 - word.y0)


def overprints(page: Page) -> list[str]:
    """Pairs of words from different lines drawn over each other."""
    words = sorted(page.words, key=lambda word: word.y0)
    faults = []
    for index, word in enumerate(words):
        for other in words[index + 1 :]:
            if other.y0 >= word.y1:
                break
            if other.line == word.line:
                continue
            width = min(word.x1, other.x1) - max(word.x0, other.x0)
            height = min(word.y1, other.y1) - max(word.y0, other.y0)
            smaller = min(_area(word), _area(other))
            if width > 0 and height > 0 and width * height > 0.3 * smaller:
                faults.append(f"“{word.text}” and “{other.text}” are printed over each other")
                if len(faults) >= 3:
                    return faults
    return faults


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace(SOFT_HYPHEN, ""))


def heading_at_page_foot(page: Page, heading: Heading) -> bool:
    """Is the heading the last thing on its page (nothing of its section follows it there)?"""
    lines = [line for line in body_lines(page) if line[0].y1 >= heading.top - OVERHANG]
    wanted, seen = _squeeze(heading.title), ""
    for index, line in enumerate(lines):
        seen += _squeeze(" ".join(word.text for word in line))
        if not wanted.startswith(seen) and not seen.startswith(wanted):
            return False  # not the heading's lines: the page shows something else there
        if seen.startswith(wanted):
            return index == len(lines) - 1
    return False


def box_title_at_page_foot(page: Page, titles: set[str]) -> str | None:
    """The title of a box when it is all a page shows of its box: its last lines are the title."""
    lines = body_lines(page)
    for count in range(1, min(3, len(lines)) + 1):
        shown = " ".join(word.text for line in lines[-count:] for word in line)
        if _squeeze(shown) in titles:
            return shown
    return None


def box_titles(source: EditionSource) -> set[str]:
    """The titles of the edition's boxes (admonitions, details), as the preflight compares text."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(f"<div>{source.html}</div>")
    titles = tree.xpath('//div[contains(concat(" ", @class, " "), " admonition-title ")]')
    return {squeezed for title in titles if (squeezed := _squeeze(title.text_content()))}


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _holds_row_content(element: pikepdf.Dictionary) -> bool:
    """Not an annotation (a link's), nor a footnote: tagged inside the table cell that calls it,
    a footnote is printed at a page's foot, maybe the next."""
    return element.get("/Type") != "/OBJR" and element.get("/S") != "/Note"


def cut_table_rows(path: Path) -> list[tuple[int, int]]:
    """The table rows whose cells are drawn on two pages (first and last page), from the PDF's
    structure tree: a row's marked content says on which page each piece of it is."""
    cut = []
    with pikepdf.open(path) as pdf:
        numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}

        def pages_of(element: pikepdf.Object, page: int | None) -> set[int | None]:
            if "/Pg" in element:
                page = numbers.get(element.Pg.objgen)
            found: set[int | None] = set()
            for kid in _kids(element):
                if isinstance(kid, int):  # marked content on the element's page
                    found.add(page)
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    found.add(numbers.get(kid.Pg.objgen) if "/Pg" in kid else page)
                elif isinstance(kid, pikepdf.Dictionary) and _holds_row_content(kid):
                    found |= pages_of(kid, page)
            return found

        stack = list(_kids(pdf.Root.StructTreeRoot)) if "/StructTreeRoot" in pdf.Root else []
        while stack:
            element = stack.pop()
            if not isinstance(element, pikepdf.Dictionary):
                continue
            # A header row repeated on every page of its table is drawn once as content.
            if element.get("/S") == "/TR" and str(element.get("/P", {}).get("/S", "")) != "/THead":
                pages = {page for page in pages_of(element, None) if page is not None}
                if len(pages) > 1:
                    cut.append((min(pages), max(pages)))
            else:
                stack.extend(_kids(element))
    return sorted(cut)


def section_is_empty(heading: Heading, following: Heading | None, pages: list[Page]) -> bool:
    """Does nothing of the heading's section follow it: the document ends, or the next page opens with
    a heading of the same or a higher level? (A heading alone at a page's foot is then no fault: the
    section has no text to keep it company, as in a chapter left for later.)"""
    if following is None:
        return True
    if following.level > heading.level or following.page != heading.page + 1:
        return False
    lines = body_lines(pages[following.page - 1])
    return not lines or min(word.y0 for word in lines[0]) >= following.top - OVERHANG


def page_fill(page: Page) -> float:
    """How much of the type area's height the page's text covers, from its top."""
    lines = body_lines(page)
    if not lines:
        return 0.0
    return (max(word.y1 for word in lines[-1]) - TYPE_AREA[1]) / (TYPE_AREA[3] - TYPE_AREA[1])


def hyphen_ladders(page: Page) -> int:
    """The longest run of consecutive lines ending in a hyphen the typesetter added."""
    longest = run = 0
    for line in body_lines(page):
        run = run + 1 if line[-1].text.endswith(SOFT_HYPHEN) else 0
        longest = max(longest, run)
    return longest


def searchable_text(path: Path) -> str:
    """The text as a reader's search sees it: in the order it is drawn (a table cell by cell), and a
    word the typesetter broke at a line's end (its hyphen is U+00AD in the text layer) is one word.
    (pdftotext itself joins some of those lines, keeping the U+00AD between the halves.)"""
    result = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=False)
    if result.returncode != 0:
        raise ToolError(f"pdftotext could not read {path.name}: {result.stderr.decode(errors='replace')}")
    text = re.sub(r"\u00ad\n(?=[^\W\d_])", "", result.stdout.decode("utf-8"))
    return re.sub(r"(?<=[^\W\d_])\u00ad(?=[^\W\d_])", "", text)


def soft_hyphens_in_words(path: Path) -> int:
    """How many letters the text layer marks as followed by a soft hyphen where none is drawn: a
    reader's search then stops inside the word (only a drawn hyphen may be U+00AD alone)."""
    count = 0
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents else []
            for stream in streams:
                for marked in ACTUAL_TEXT.findall(stream.read_bytes()):
                    units = {marked[i : i + 4].upper() for i in range(0, len(marked), 4)}
                    count += b"00AD" in units and units != {b"00AD"}
    return count


ACTUAL_TEXT = re.compile(rb"/ActualText<FEFF((?:[0-9A-Fa-f]{4})+)>")


# Web and e-mail addresses and file paths are not words a reader searches for; a line may break
# inside them at any "/" or "-".
NOT_WORDS = re.compile(r"\S*(?:://|www\.|@|/)\S*")


def words(text: str) -> Counter:
    return Counter(SEARCH_WORD.findall(NOT_WORDS.sub(" ", text)))


def missing_words(text: str, source_words: Counter) -> list[tuple[str, int, int]]:
    """The source's words that search finds fewer than 99 % of: (word, in the source, found).

    A word hyphenated across a page break (or around the footnotes at a page's foot) cannot be
    found by a reader's search either; each such first half counts as one occurrence of the words
    it begins."""
    found = words(text)
    for half, times in Counter(re.findall(r"([^\W\d_]+)\u00ad(?=\s)", text)).items():
        for word in source_words:
            if word.startswith(half) and len(word) > len(half):
                found[word] += times
    return sorted(
        (word, count, found[word])
        for word, count in source_words.items()
        if found[word] < SEARCH_RATIO * count
    )


def check_pdf(
    path: Path,
    language: str,
    source_words: Counter,
    written: tuple[SourceHeading, ...] = (),
    titles: set[str] | frozenset[str] = frozenset(),
) -> list[Finding]:
    """Every page of one PDF edition; errors and warnings, each naming language, page and heading,
    placed at the heading's line in the source where the edition says where it is written."""
    pages = read_pages(path)
    headings = read_headings(path)
    sources = written_headings(headings, written)
    findings: list[Finding] = []

    def report(page: int, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        index = heading_above(page, headings)
        under = f", under “{headings[index].title}”" if index is not None else ""
        text = f"{language} PDF page {page}{under}: {message}"
        source = sources.get(index) if index is not None else None
        if source is None:
            findings.append(Finding(path.name, 0, code, text, severity))
        else:
            findings.append(Finding(source.path, source.line, code, f"{text} ({path.name})", severity))

    for page in pages:
        for fault in outside_type_area(page):
            report(page.number, "PDF_OUTSIDE_TYPE_AREA", fault)
        for fault in overprints(page):
            report(page.number, "PDF_OVERPRINT", fault)
        ladder = hyphen_ladders(page)
        if ladder >= 3:
            report(page.number, "PDF_HYPHEN_LADDER", f"{ladder} hyphenated lines in a row", WARNING)
        if title := box_title_at_page_foot(page, titles):
            report(page.number, "PDF_BOX_TITLE_AT_PAGE_FOOT", f"the box title “{title}” ends its page")
    for index, heading in enumerate(headings):
        following = headings[index + 1] if index + 1 < len(headings) else None
        if heading_at_page_foot(pages[heading.page - 1], heading) and not section_is_empty(
            heading, following, pages
        ):
            report(
                heading.page, "PDF_HEADING_AT_PAGE_FOOT", f"“{heading.title}” is the last line of its page"
            )
    for first, last in cut_table_rows(path):
        report(first, "PDF_TABLE_ROW_CUT", f"a table row is cut in two: it runs on to page {last}")
    chapters = {heading.page for heading in headings if heading.level == 1}
    for page in pages[1:-1]:
        following = page.number + 1
        # A page cut short before a page that does not start a chapter: something was pushed on.
        if following not in chapters and 0 < page_fill(page) < 0.5 and body_lines(pages[following - 1]):
            report(page.number, "PDF_HALF_EMPTY_PAGE", "less than half full before the next block", WARNING)
    split = soft_hyphens_in_words(path)
    if split:
        findings.append(
            Finding(
                path.name,
                0,
                "PDF_SOFT_HYPHEN_IN_WORDS",
                f"{language}: the text layer has {split} soft hyphen(s) inside words where no hyphen is "
                "drawn: a reader's search does not find those words",
            )
        )
    missing = missing_words(searchable_text(path), source_words)
    if missing:
        shown = ", ".join(f"“{word}” {found} of {count}" for word, count, found in missing[:8])
        findings.append(
            Finding(
                path.name,
                0,
                "PDF_TEXT_NOT_SEARCHABLE",
                f"{language}: search finds fewer than {SEARCH_RATIO:.0%} of the occurrences of "
                f"{len(missing)} word(s) of the source: {shown}",
            )
        )
    return findings


def source_words(source: EditionSource) -> Counter:
    """The words a reader may search for, with how often the edition's text has each."""
    text = run_pandoc(
        source.html,
        "plain",
        "--wrap=none",
        "--lua-filter",
        str(TEMPLATES / "page-text.lua"),
        cwd=source.root,
        epoch=source.epoch,
    )
    return words(text)


def check_edition(source: EditionSource, fmt: str, path: Path) -> list[Finding]:
    """The preflight of one edition file, as `guidelines build` runs it after making the file. An
    EPUB's, EPUBCheck, runs once for all the EPUBs a build made (editions/epubcheck.py). The DOCX
    is opened in LibreOffice by the tests only (tests/test_preflight.py): about 15 s a file."""
    if fmt == "pdf":
        return check_pdf(path, source.language, source_words(source), source.headings, box_titles(source))
    return []
