"""Terminology: where an English section uses a glossary term, its translation should use that term's
form in the glossary (any inflection). Differences are warnings; a translator may have good reason.

Matching is by stem, not by word: each word of a term must begin a word of the text, after the
last letters (the endings, which inflection changes) are cut and diacritics are folded. English
barely inflects, so in the source a word of the term may only gain a plural ending: "social
worker" is not found in "social work specialist", which the glossary holds as a term of its own.

A translator's good reason is recorded once, in the glossary: a term's `accepted` forms (per
language) are other forms a section may use instead, so a deliberate choice is not a warning in
every section that makes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from guidelines.content import HEADING, Content, Page, code_mask, heading_id
from guidelines.findings import Finding, Severity
from guidelines.glossary import load_glossary

ENDING = 3  # letters an ending may change ("centrs" / "centra" / "centros" share "cent")
MIN_STEM = 4
NOT_PROSE = re.compile(r"\]\([^)]*\)|\{[^}]*\}|(?:https?://|www\.)[^\s>)]*")
SOURCE_ENDING = r"\w{0,2}"  # "centre" / "centres", "municipality" / "municipalities" (the "y" is cut)


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def stems(form: str, *, source: bool = False) -> list[str] | None:
    """The stems of a term's words; None where the glossary gives no single form to look for
    (alternatives "a / b", qualifiers "(LV)", or no equivalent "—")."""
    if re.search(r"[(;/—]", form) or not form.strip():
        return None
    words = re.findall(r"\w+", fold(form))
    if source:
        return [word.removesuffix("y") if len(word) > MIN_STEM else word for word in words]
    return [word[: max(MIN_STEM, len(word) - ENDING)] if len(word) > MIN_STEM else word for word in words]


def uses(text: str, term_stems: list[str], *, source: bool = False) -> bool:
    """Do all the term's stems begin words of the text, in order and close together? In the source,
    each stem must be nearly the whole word, and the words must follow each other."""
    # In the source the words stand together ("day care centre" is not "day social care");
    # inflected word order lets a translation put up to two words between them.
    ending, gap = (SOURCE_ENDING + r"\b", r"\W+") if source else (r"\w*", r"(?:\W+\w+){0,2}?\W+")
    pattern = r"\b" + (ending + gap).join(re.escape(stem) for stem in term_stems)
    return re.search(pattern + (ending if source else ""), text) is not None


@dataclass
class Section:
    id: str
    line: int
    text: str  # folded


def sections(page: Page) -> dict[str, Section]:
    """The page's text cut at its headings, keyed by heading id ("" for the text before the first)."""
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    found: dict[str, Section] = {"": Section("", page.body_line, "")}
    current = found[""]
    for index, line in enumerate(lines):
        if in_code[index]:
            continue
        if match := HEADING.match(line):
            _, identifier, _ = heading_id(match.group(2))
            current = found.setdefault(identifier, Section(identifier, page.body_line + index, ""))
        # Link targets, attribute lists and web addresses are not prose: "…-for-social-inclusion-…"
        # in an address is not the term.
        current.text += " " + fold(NOT_PROSE.sub(" ", line))
    return found


def check(content: Content) -> list[Finding]:
    project = content.project
    codes = [language.code for language in project.languages]
    glossary = load_glossary(project.glossary_path, project.display(project.glossary_path), codes)
    source = project.source_language.code
    findings: list[Finding] = []
    for language in codes:
        if language == source:
            continue
        terms = [
            (
                term,
                stems(term.forms.get(source, ""), source=True),
                [stems(form) for form in (term.forms.get(language, ""), *term.accepted.get(language, ()))],
            )
            for term in glossary
        ]
        terms = [
            (term, english, [form for form in translated if form])
            for term, english, translated in terms
            if english and any(translated)
        ]
        for page in content.pages.get(language, []):
            original = content.page(source, page.name)
            if original is not None and page.language == language:
                findings.extend(_compare(content, original, page, terms, language))
    return findings


def _compare(content: Content, original: Page, page: Page, terms, language: str) -> list[Finding]:
    shown, source_shown = content.project.display(page.path), content.project.display(original.path)
    translated = sections(page)
    findings = []
    for identifier, section in sections(original).items():
        target = translated.get(identifier)
        if target is None:
            continue  # parity reports the missing section
        for term, english, translated_forms in terms:
            if uses(section.text, english, source=True) and not any(
                uses(target.text, form) for form in translated_forms
            ):
                used, wanted = term.forms[content.project.source_language.code], term.forms[language]
                message = f"the section uses '{used}' in {source_shown}:{section.line}, but not '{wanted}'"
                hint = "use the glossary's term (docs/glossary.yml), or propose a change to the glossary"
                findings.append(Finding(shown, target.line, "TERM", message, Severity.WARNING, hint))
    return findings
