"""Characters the PDF cannot show: an emoji, a control character, a script its fonts lack.

PDF/UA (the accessible PDF the editions are) refuses text it cannot display, so one such character
would stop every edition of its language with Typst's message and no place to look. Here it is
reported at its line, before any edition is built. Numeric entities (`&#128512;`) count too:
pandoc turns them into the character.
"""

from __future__ import annotations

import re
import unicodedata

from guidelines.content import Content
from guidelines.editions.fonts import missing_glyphs
from guidelines.findings import Finding

ENTITY = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);")


def _unescaped(text: str) -> str:
    """The text with numeric entities as the characters pandoc makes of them (`&#1;` included)."""
    return ENTITY.sub(_character, text)


def _character(match: re.Match) -> str:
    number = match.group(0)[2:-1]
    code = int(number[1:], 16) if number[:1] in "xX" else int(number)
    return chr(code) if 0 < code <= 0x10FFFF else match.group(0)


def check(content: Content) -> list[Finding]:
    # What the reader sees: the page's rendering (which may differ from the file: Python-Markdown's
    # e-mail obfuscation can leave a control character), with the file's lines to say where.
    texts = [
        (page, [page.title, *page.body.split("\n")], page.tree.text_content())
        for pages in content.pages.values()
        for page in pages
    ]
    # Most pages hold only letters the fonts are known to have: a set per page, then Typst for the rest.
    unknown = {
        character
        for _, lines, shown_text in texts
        for character in set(_unescaped("\n".join(lines))) | set(shown_text)
        if not character.isascii() or not character.isprintable()
    }
    missing = missing_glyphs({character for character in unknown if character not in "\n\t"})
    findings = []
    for page, lines, shown_text in texts if missing else []:
        shown = content.project.display(page.path)
        unplaced = set(shown_text) & missing
        for index, line in enumerate(lines):
            for character in sorted(set(_unescaped(line)) & missing):
                unplaced.discard(character)
                place = 1 if index == 0 else page.body_line + index - 1  # the front matter, then the body
                findings.append(_finding(shown, place, character))
        findings.extend(_finding(shown, page.body_line, character) for character in sorted(unplaced))
    return findings


def _finding(shown: str, line: int, character: str) -> Finding:
    what = f"U+{ord(character):04X}"
    name = unicodedata.name(character, "")
    if name or unicodedata.category(character) == "Cc":
        what += f", {name or 'a control character'}"
    return Finding(
        shown,
        line,
        "GLYPH",
        f"the PDF's fonts cannot show {character!r} ({what})",
        hint="remove it or say it in words; the PDF refuses text it cannot display",
    )
