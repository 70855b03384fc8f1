"""Spelling, with Debian's hunspell dictionaries and the project's word lists (`guidelines check --spelling`).

Each language is checked with its own dictionary (`DICTIONARIES`) plus `docs/wordlists/<lang>.txt`,
which lists the correct words hunspell does not know: names of places, people and institutions,
abbreviations, and professional terms. hunspell runs in its pipe mode, which answers line by line,
so every unknown word is reported at its line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from guidelines.content import ADMONITION, Content, Page, code_mask
from guidelines.findings import Finding, ToolError

DICTIONARIES = {"en": "en_GB", "lv": "lv_LV", "lt": "lt_LT"}
WORDLISTS = "wordlists"
MISSING_HUNSPELL = (
    "hunspell is not installed: `make test` installs it (Debian packages hunspell, "
    "hunspell-lv, hunspell-lt, hunspell-en-gb)"
)

# What is not prose: web addresses, link targets, heading ids, inline code, footnote labels, markers.
NOT_PROSE = [
    re.compile(r"`[^`]*`"),
    re.compile(r"<https?://[^>]+>"),
    re.compile(r"https?://\S+"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"\{[^{}]*\}"),
    re.compile(r"\[\^[^\]]+\]:?"),
    re.compile(r"\[\[[a-z-]+\]\]"),
    re.compile(r"\b[\w.-]+\.(?:lv|lt|eu|com|org|gov|net)\b\S*"),
]


def prose(line: str) -> str:
    if match := ADMONITION.match(line):
        line = match.group("title") or ""
    for pattern in NOT_PROSE:
        line = pattern.sub(" ", line)
    return line


def wordlist_path(content: Content, language: str) -> Path:
    return content.project.docs_dir / WORDLISTS / f"{language}.txt"


def check(content: Content) -> list[Finding]:
    if shutil.which("hunspell") is None:
        raise ToolError(MISSING_HUNSPELL)
    lines: list[_Line] = []  # in the order the findings are reported: page by page
    for language, pages in content.pages.items():
        dictionary = DICTIONARIES.get(language)
        if dictionary is None:
            continue
        for page in pages:
            if page.language == language:  # a page that falls back to the source is checked there
                lines += _page_lines(content, page, dictionary, wordlist_path(content, language))
    # One hunspell run for each language's dictionary, on the lines of every page: hunspell takes
    # about a tenth of a second to load a dictionary, and a run a page (and one more for each part
    # in another language) made the guidelines' spelling check 177 runs and 20 s long.
    found: list[list[Finding]] = [[] for _ in lines]
    for asked in dict.fromkeys(line.asked for line in lines):
        indices = [index for index, line in enumerate(lines) if line.asked == asked]
        answers = _misspelt(content, [lines[index] for index in indices], *asked)
        for index, answer in zip(indices, answers, strict=True):
            found[index] = answer
    return [finding for line_found in found for finding in line_found]


@dataclass(frozen=True)
class _Line:
    """A line of a page, for a dictionary with its word list."""

    asked: tuple[str, Path]  # the dictionary, the word list
    shown: str  # the page, as a finding names it
    number: int
    text: str
    note: str = ""  # after an unknown word: the language of a part in another language, " (lt)"


# What each dictionary was asked, and whether it knew the word: the preview checks the saved page
# again after every save, and its words, but for the few just written, were all asked before.
_ANSWERED: dict[str, dict[str, bool]] = {}


def known_words(dictionary: str, words: list[str]) -> set[str]:
    """The words the dictionary alone (no word list) knows; those this process has not asked it
    about yet, in one hunspell call."""
    if shutil.which("hunspell") is None:
        raise ToolError(MISSING_HUNSPELL)
    answered = _ANSWERED.setdefault(dictionary, {})
    if asked := [word for word in dict.fromkeys(words) if word not in answered]:
        # One word a line; -L answers with the lines it has a word it does not know in, and, unlike
        # the pipe mode, looks for no suggestions, which for thousands of foreign words would take minutes.
        text = "".join(f"{word}\n" for word in asked)
        command = ["hunspell", "-L", "-d", dictionary]
        result = subprocess.run(command, input=text, capture_output=True, text=True)
        if result.returncode != 0:
            raise ToolError(f"hunspell failed: {result.stderr.strip()}")
        unknown = set(result.stdout.split("\n"))
        answered.update((word, word not in unknown) for word in asked)
    return {word for word in words if answered[word]}


def _page_lines(content: Content, page: Page, dictionary: str, wordlist: Path) -> list[_Line]:
    """The page's prose for its own dictionary; a part marked as another language's
    (`*socialinė globa*{lang=lt}`) for that language's dictionary and word list instead."""
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    numbered = [(page.body_line - 2, page.title)]  # the title sits in the front matter
    numbered += [(page.body_line + i, prose(line)) for i, line in enumerate(lines) if not in_code[i]]
    parts: dict[str, list[tuple[int, str]]] = {}
    for part in page.parts_in_other_languages:
        if part.language in DICTIONARIES:
            parts.setdefault(part.language, []).append((part.line, part.text))
            numbered = [(number, _without(text, part.text, number == part.line)) for number, text in numbered]
    shown = content.project.display(page.path)
    page_lines = [_Line((dictionary, wordlist), shown, *line) for line in numbered]
    for language, texts in parts.items():
        asked = (DICTIONARIES[language], wordlist_path(content, language))
        page_lines += [_Line(asked, shown, *text, f" ({language})") for text in texts]
    return page_lines


def _without(line: str, part: str, here: bool) -> str:
    return line.replace(part, " ", 1) if here else line


def _misspelt(content: Content, lines: list[_Line], dictionary: str, wordlist: Path) -> list[list[Finding]]:
    """For each line, hunspell's unknown words in it."""
    command = ["hunspell", "-a", "-d", dictionary]
    if wordlist.is_file():
        command += ["-p", str(wordlist)]
    # "^" keeps hunspell from reading a line's first character as a command. A line break inside a
    # line (a title may have one) would shift every later answer to the line after its own.
    text = "".join(f"^{line.text.replace(chr(10), ' ')}\n" for line in lines)
    result = subprocess.run(command, input=text, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"hunspell failed: {result.stderr.strip()}")
    answers = result.stdout.split("\n")[1:]  # the first line is hunspell's banner
    found: list[list[Finding]] = [[] for _ in lines]
    index = 0
    for answer in answers:
        if not answer:  # the end of a line's answers
            index += 1
            continue
        if answer[0] in "&#" and index < len(lines):
            parts = answer.split(" ")
            word = parts[1]
            suggestions = answer.split(": ", 1)[1] if ": " in answer else ""
            hint = (
                f"did you mean: {suggestions}?"
                if suggestions
                else (f"if the word is right, add it to {content.project.display(wordlist)}")
            )
            line = lines[index]
            found[index].append(Finding(line.shown, line.number, "SPELL", word + line.note, hint=hint))
    return found
