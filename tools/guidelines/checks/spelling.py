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
    findings: list[Finding] = []
    for language, pages in content.pages.items():
        dictionary = DICTIONARIES.get(language)
        if dictionary is None:
            continue
        for page in pages:
            if page.language == language:  # a page that falls back to the source is checked there
                findings.extend(_check_page(content, page, dictionary, wordlist_path(content, language)))
    return findings


def known_words(dictionary: str, words: list[str]) -> set[str]:
    """The words the dictionary alone (no word list) knows, asked in one hunspell call."""
    if shutil.which("hunspell") is None:
        raise ToolError(MISSING_HUNSPELL)
    # One word a line; -L answers with the lines it has a word it does not know in, and, unlike the
    # pipe mode, looks for no suggestions, which for thousands of foreign words would take minutes.
    text = "".join(f"{word}\n" for word in words)
    result = subprocess.run(["hunspell", "-L", "-d", dictionary], input=text, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"hunspell failed: {result.stderr.strip()}")
    return set(words) - set(result.stdout.split("\n"))


def _check_page(content: Content, page: Page, dictionary: str, wordlist: Path) -> list[Finding]:
    """The page's prose with its own dictionary; a part marked as another language's
    (`*socialinė globa*{lang=lt}`) with that language's dictionary and word list instead."""
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
    findings = _misspelt(content, shown, numbered, dictionary, wordlist, "")
    for language, texts in parts.items():
        findings += _misspelt(
            content, shown, texts, DICTIONARIES[language], wordlist_path(content, language), f" ({language})"
        )
    return findings


def _without(line: str, part: str, here: bool) -> str:
    return line.replace(part, " ", 1) if here else line


def _misspelt(
    content: Content, shown: str, numbered: list[tuple[int, str]], dictionary: str, wordlist: Path, note: str
) -> list[Finding]:
    """hunspell's unknown words among the numbered lines, each at its line."""
    command = ["hunspell", "-a", "-d", dictionary]
    if wordlist.is_file():
        command += ["-p", str(wordlist)]
    # "^" keeps hunspell from reading a line's first character as a command.
    text = "".join(f"^{line}\n" for _, line in numbered)
    result = subprocess.run(command, input=text, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"hunspell failed: {result.stderr.strip()}")
    answers = result.stdout.split("\n")[1:]  # the first line is hunspell's banner
    findings, index = [], 0
    for answer in answers:
        if not answer:
            index += 1
            continue
        if answer[0] in "&#" and index < len(numbered):
            parts = answer.split(" ")
            word = parts[1]
            suggestions = answer.split(": ", 1)[1] if ": " in answer else ""
            hint = (
                f"did you mean: {suggestions}?"
                if suggestions
                else (f"if the word is right, add it to {content.project.display(wordlist)}")
            )
            findings.append(Finding(shown, numbered[index][0], "SPELL", word + note, hint=hint))
    return findings
