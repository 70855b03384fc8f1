"""The trilingual glossary: one data file, the single source of the glossary page in every language."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guidelines.findings import Finding, FindingsError
from guidelines.labels import label

MARKER = "[[glossary-table]]"


@dataclass(frozen=True)
class Term:
    id: str
    forms: dict[str, str]  # language code -> the term in that language
    definitions: dict[str, str]
    status: str
    note: str
    # language code -> other forms a translation may use instead (a deliberate choice, recorded once)
    accepted: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_glossary(path: Path, shown: str, languages: list[str]) -> list[Term]:
    if not path.is_file():
        return []
    return parse_glossary(path.read_text(encoding="utf-8"), shown, languages)


def parse_glossary(text: str, shown: str, languages: list[str]) -> list[Term]:
    """The terms of a glossary file's text (FindingsError naming `shown` if it is not valid)."""
    return list(_parse_glossary(text, shown, tuple(languages)))


# The site reads the glossary once per language, the checks once more, the preview at every save:
# the same text is parsed once (a few hundred terms of YAML take longer than building a page).
@functools.lru_cache(maxsize=4)
def _parse_glossary(text: str, shown: str, languages: tuple[str, ...]) -> tuple[Term, ...]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise FindingsError(
            [Finding(shown, mark.line + 1 if mark else 0, "GLOSSARY", f"not valid YAML: {error}")]
        ) from None
    terms, problems = [], []
    for number, entry in enumerate(data.get("terms") or [], start=1):
        if not isinstance(entry, dict) or not entry.get("id"):
            problems.append(Finding(shown, 0, "GLOSSARY", f"term {number} has no 'id'"))
            continue
        forms = {code: str(entry[code]) for code in languages if entry.get(code)}
        missing = [code for code in languages if code not in forms]
        if missing:
            problems.append(
                Finding(shown, 0, "GLOSSARY", f"term '{entry['id']}' has no form in {', '.join(missing)}")
            )
        definitions = entry.get("definition") or {}
        accepted = entry.get("accepted") or {}
        if not isinstance(accepted, dict) or not all(
            code in languages and isinstance(forms_, list) for code, forms_ in accepted.items()
        ):
            problems.append(
                Finding(
                    shown,
                    0,
                    "GLOSSARY",
                    f"term '{entry['id']}': 'accepted' must map a language code to a list of forms",
                )
            )
            continue
        terms.append(
            Term(
                str(entry["id"]),
                forms,
                {k: str(v) for k, v in definitions.items()},
                str(entry.get("status", "")),
                str(entry.get("note", "")),
                {code: tuple(str(form) for form in forms_) for code, forms_ in accepted.items()},
            )
        )
    if problems:
        raise FindingsError(problems)
    return tuple(terms)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _in_language(text: str, language: str) -> str:
    return f'<span lang="{language}">{html.escape(text, quote=False)}</span>' if text else ""


def glossary_table(terms: list[Term], language: str, languages: list[str]) -> str:
    """A Markdown table, sorted in the reader's language: term, definition, then the other languages."""
    others = [code for code in languages if code != language]
    header = [
        label(language, "term"),
        label(language, "definition"),
        *(label(language, f"language.{c}") for c in others),
    ]
    rows = []
    for term in sorted(terms, key=lambda t: t.forms.get(language, t.id).casefold()):
        definition = term.definitions.get(language) or term.definitions.get(languages[0], "")
        cells = [f"**{_cell(term.forms.get(language, ''))}**", _cell(definition)]
        # Each other language's column is marked as written in it: a screen reader switches voice.
        forms = [(_cell(term.forms.get(c, "")), c) for c in others]
        cells += [_in_language(form, c) for form, c in forms]
        rows.append("| " + " | ".join(cells) + " |")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *rows]
    return "\n".join(lines)
