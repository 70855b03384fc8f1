"""Language of parts: a word or passage of another language, quoted in a page, is marked as written
in that language (`*dienas aprūpes centrs*{lang=lv}`), so that a screen reader reads it with that
language's voice and the editions tag it (WCAG 2.1, 3.1.2 Language of Parts). Where a page quotes one
unmarked, a warning names it at its line with the markup to write.

Two ways find them, both in the page's rendering, where a marked part carries its `lang`: runs of
words that the page language's dictionary does not know and another project language's does (names
excepted, as WCAG excepts them), and terms from another language's column of the glossary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import babel

from guidelines.checks.spelling import DICTIONARIES, known_words, wordlist_path
from guidelines.content import Content, Page, written_words
from guidelines.findings import Finding, Severity
from guidelines.glossary import Term, load_glossary

WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")  # an apostrophe or a hyphen inside
# Text a reader does not hear as prose of the page: code, and what a part already marks.
NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style"}
ADDRESS = re.compile(
    r"\[\[[a-z-]+\]\]|\S*(?:https?://|www\.|@)\S*|[\w.-]+\.(?:lv|lt|eu|com|org|gov|net|info|int)\b\S*"
)
GAP = re.compile(r"\s+|\s+[-\u2013\u2014]\s+")  # between two words of one run: a space or a dash
# Two-letter words ("ar", "ir", "un") are common to several languages: alone they say nothing.
SHORTEST_RUN = 3
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*")


@dataclass(frozen=True)
class Run:
    """Consecutive words of another language, unmarked, in a page's rendering."""

    text: str
    languages: tuple[str, ...]  # the language whose dictionary knows most of its words; two on a tie
    line: int
    emphasised: bool  # the run is the whole text of an emphasis (`*…*`): its mark goes right after it


@dataclass(frozen=True)
class _Segment:
    """A piece of text of the rendering, in document order."""

    text: str
    prose: bool  # read in the page's language: not code, not inside an element with a `lang`
    emphasis: object | None  # the <em> it sits in


def check_codes(content: Content) -> list[Finding]:
    """Every `lang` a page writes is a language's code. The site, the PDF, the EPUB and the DOCX all
    carry it, and only EPUBCheck would refuse a malformed one, after the whole edition is made and
    without naming the page."""
    findings = []
    for language, pages in content.pages.items():
        for page in pages:
            if page.language != language:
                continue
            for element in page.tree.iter():
                written = element.get("lang") if isinstance(element.tag, str) else None
                if written is None or _is_language(written):
                    continue
                needles = (f"lang={written}", f'lang="{written}"', f"lang='{written}'", written)
                codes = ", ".join(lang.code for lang in content.project.languages)
                findings.append(
                    Finding(
                        content.project.display(page.path),
                        page.line_naming(*needles),
                        "LANGUAGE_CODE",
                        f'lang="{written}" is not a language code',
                        hint=f"write the language's two-letter code: {codes}, or another ISO 639-1 code",
                    )
                )
    return findings


def _is_language(tag: str) -> bool:
    """A BCP 47 tag (`lv`, `en-GB`) whose language a locale database knows (`zz` is none)."""
    if not LANGUAGE_TAG.fullmatch(tag):
        return False
    try:
        babel.Locale.parse(tag.split("-")[0].lower())
    except (ValueError, babel.UnknownLocaleError):
        return False
    return True


def check(content: Content) -> list[Finding]:
    project = content.project
    codes = [language.code for language in project.languages]
    pages = [
        page
        for language, language_pages in content.pages.items()
        for page in language_pages
        if page.language == language  # a fallback page is checked in its own language
    ]
    findings = []
    languages = [code for code in codes if code in DICTIONARIES]
    # A word the project's word list says is right in a language is that language's (a Latvian
    # "e-pasta" hunspell lacks), not another's.
    declared = {code: _word_list(wordlist_path(content, code)) for code in languages}
    runs = unmarked_runs(pages, languages, declared)
    for page, page_runs in zip(pages, runs, strict=True):
        findings += [_run_finding(content, page, run) for run in page_runs]
    if project.glossary_path.is_file():
        terms = load_glossary(project.glossary_path, project.display(project.glossary_path), codes)
        for page, page_runs in zip(pages, runs, strict=True):
            findings += _unmarked_terms(content, page, terms, {run.text.casefold() for run in page_runs})
    return findings


def unmarked_runs(
    pages: list[Page], languages: list[str], declared: dict[str, set[str]] | None = None
) -> list[list[Run]]:
    """Each page's unmarked runs of another language's words, once per line. Every dictionary reads
    the words of all pages in one hunspell call, which keeps the check to a second or two.
    `declared`: per language, the words its word list adds to its dictionary."""
    segments = [list(_segments(page.tree)) for page in pages]
    words = sorted({word for parts in segments for part in parts for word in WORD.findall(part.text)})
    known = {language: known_words(DICTIONARIES[language], words) for language in languages}
    declared = declared or {}
    return [
        _runs(page, parts, known, declared.get(page.language, set())) if page.language in known else []
        for page, parts in zip(pages, segments, strict=True)
    ]


def _word_list(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").split()) if path.is_file() else set()


def _segments(element, emphasis=None, prose=True) -> Iterator[_Segment]:
    """The text of an element and of all inside it, each piece with whether it is the page's prose."""
    if element.tag in NOT_PROSE or element.get("lang"):
        prose = False
    if element.tag == "em":
        emphasis = element
    if element.text:
        yield _Segment(_without_addresses(element.text), prose, emphasis)
    for child in element:
        if isinstance(child.tag, str):  # not a comment
            yield from _segments(child, emphasis, prose)
        if child.tail:
            yield _Segment(_without_addresses(child.tail), prose, emphasis)


def _without_addresses(text: str) -> str:
    """The text with each web or e-mail address and each of the toolkit's markers (`[[forms]]`) written
    over (with "/", which ends a run of words and keeps the offsets): they are not words of a language."""
    return ADDRESS.sub(lambda address: "/" * len(address.group()), text)


def _runs(page: Page, segments: list[_Segment], known: dict[str, set[str]], declared: set[str]) -> list[Run]:
    own = known[page.language] | declared
    others = [language for language in known if language != page.language]
    quotes: dict[object, bool] = {}  # an <em> -> whether it quotes lower-case words of another language

    def languages_of(word: str) -> list[str]:
        """The other languages whose dictionaries know a word that the page's does not."""
        return [] if word in own else [language for language in others if word in known[language]]

    def any_other(word: str) -> bool:
        return any(word in known[language] for language in others)

    def quoted(emphasis) -> bool:
        if emphasis not in quotes:
            inside = WORD.findall(emphasis.text_content())
            quotes[emphasis] = any(languages_of(word) for word in inside if not word[0].isupper())
        return quotes[emphasis]

    found: list[tuple[str, tuple[str, ...], bool, int, int]] = []  # text, languages, emphasised, where
    for index, segment in enumerate(segments):
        if not segment.prose:
            continue
        runs: list[list[re.Match]] = []
        for word in WORD.finditer(segment.text):
            if languages_of(word.group()) or (word.group() in own and any_other(word.group())):
                last = runs[-1][-1] if runs else None
                if last and GAP.fullmatch(segment.text[last.end() : word.start()]):
                    runs[-1].append(word)
                else:
                    runs.append([word])
        # A word both languages know ("centrs" in Latvian and English) belongs to the run it sits in,
        # not at its ends. Names (capitalised words: places, institutions) are not marked on their own,
        # as WCAG excepts them; with the lower-case words of a title or an institution's name they are.
        runs = [trimmed for run in runs if (trimmed := _trim(run, own))]
        runs = [
            run
            for run in runs
            if any(languages_of(word.group()) and not word.group()[0].isupper() for word in run)
            or (segment.emphasis is not None and quoted(segment.emphasis))
        ]
        for run in runs:
            if max(len(word.group()) for word in run) < SHORTEST_RUN:
                continue
            text = segment.text[run[0].start() : run[-1].end()]
            count = {language: sum(word.group() in known[language] for word in run) for language in others}
            emphasis = segment.emphasis
            emphasised = emphasis is not None and " ".join(emphasis.text_content().split()) == text
            chosen = tuple(language for language in others if count[language] == max(count.values()))
            found.append((text, chosen, emphasised, index, run[0].start()))
    runs_by_line: dict[tuple[str, int], Run] = {}
    places: dict[str, tuple[list, list[int]]] = {}
    for text, chosen, emphasised, index, start in found:
        if text not in places:  # where the page writes and reads these words: once for all its runs
            places[text] = _places(page, segments, text)
        readings, lines = places[text]
        line = page.line_of_reading(readings, (index, start), lines, text, text.split()[0])
        runs_by_line.setdefault((text, line), Run(text, chosen, line, emphasised))
    return sorted(runs_by_line.values(), key=lambda run: (run.line, run.text))


def _trim(run: list[re.Match], own: set[str]) -> list[re.Match]:
    """The run without the words the page's language knows at its ends."""
    words = [word.group() not in own for word in run]
    if not any(words):
        return []
    return run[words.index(True) : len(words) - words[::-1].index(True)]


def _places(page: Page, segments: list[_Segment], text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Where the rendering reads a run's words (marked or not: segment and offset), and the lines
    the file writes them on."""
    pattern = written_words(re.escape(text))
    readings = [
        (number, match.start())
        for number, segment in enumerate(segments)
        if text in segment.text
        for match in pattern.finditer(segment.text)
    ]
    return readings, page.lines_matching(pattern)


def _run_finding(content: Content, page: Page, run: Run) -> Finding:
    names = " or ".join(run.languages)
    if len(run.languages) > 1:
        message = f"“{run.text}” is in another language ({names}: both dictionaries know it), unmarked"
        markup = " or ".join(_markup(run, language) for language in run.languages)
        hint = f"write {markup}, whichever it is, so screen readers read it in that language"
    else:
        message = f"“{run.text}” is in {names} and is not marked"
        hint = f"write {_markup(run, names)}, so screen readers and the editions read it as that language"
    shown = content.project.display(page.path)
    return Finding(shown, run.line, "LANGUAGE_UNMARKED", message, Severity.WARNING, hint)


def _markup(run: Run, language: str) -> str:
    return f"*{run.text}*{{lang={language}}}"


def _unmarked_terms(content: Content, page: Page, terms: list[Term], in_runs: set[str]) -> list[Finding]:
    """Another language's glossary terms written in the page unmarked, but for those already named
    as a run of its words."""
    text = " ".join(page.tree.text_content().split())
    for part in page.parts_in_other_languages:
        text = text.replace(part.text, " ", 1)
    folded = text.casefold()
    own = {term.forms.get(page.language, "").casefold() for term in terms}
    findings = []
    for term in terms:
        for language, form in term.forms.items():
            if language == page.language or not form or form.casefold() in own or not _is_one_form(form):
                continue
            if form.casefold() in in_runs or form.casefold() not in folded:  # the quick test first
                continue
            found = re.findall(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE)
            if count := len(found):
                times = "once" if count == 1 else f"{count} times"
                findings.append(
                    Finding(
                        content.project.display(page.path),
                        page.line_naming(*dict.fromkeys(found)),
                        "LANGUAGE_UNMARKED",
                        f"the {language} term “{form}” appears {times} without its language",
                        Severity.WARNING,
                        hint=f"write it as *{form}*{{lang={language}}}, so screen readers and the "
                        "editions read it as that language",
                    )
                )
    return findings


def _is_one_form(form: str) -> bool:
    """A glossary form that is one term, not alternatives ("a / b"), a note ("(LV)") or "—"."""
    return re.search(r"[(;/—]", form) is None and len(form) > 3
