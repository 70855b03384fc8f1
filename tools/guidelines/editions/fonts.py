"""What the PDF's fonts can show. PDF/UA refuses text it cannot display, so the checks ask here first.

Typst with the fonts it embeds (no system fonts: every machine makes the same PDF) is the judge.
"""

from __future__ import annotations

import unicodedata

import typst

# Tagged PDF/UA-1: structure tree, alt text, language, title shown as the window title.
PDF_STANDARDS = ["ua-1"]
# The body font of templates/guidelines.typ; Typst falls back to its other embedded fonts from there.
FONTS = '"Libertinus Serif"'
# Blocks whose every letter, mark and symbol the fonts show (tests/test_editions.py checks it):
# Latin, IPA, Greek, Cyrillic, most punctuation, currency, arrows, mathematics, boxes, shapes,
# ballot boxes.
SHOWN_RANGES = (
    (0x00A1, 0x02FF),
    (0x0370, 0x04FF),
    (0x1E00, 0x1EFF),
    (0x2010, 0x2040),
    (0x2070, 0x20CF),
    (0x2190, 0x23FF),
    (0x2500, 0x257F),
    (0x25A0, 0x25FF),
    (0x2610, 0x2612),  # ballot boxes, for checklists
)
UNSHOWN_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Mn"}


def is_known_shown(character: str) -> bool:
    code = ord(character)
    return unicodedata.category(character) not in UNSHOWN_CATEGORIES and any(
        first <= code <= last for first, last in SHOWN_RANGES
    )


def missing_glyphs(characters: set[str]) -> set[str]:
    """The characters none of the PDF's fonts can show (PDF/UA then refuses the whole edition).

    Asks Typst itself, with the fonts the editions use, about the characters outside the blocks
    known to be shown: one small document for all of them, and only when that fails, halves of
    them, down to the ones at fault."""
    characters = {character for character in characters if not is_known_shown(character)}
    if not characters:
        return set()
    ordered = sorted(characters)
    if typesets(ordered):
        return set()
    if len(ordered) == 1:
        return set(ordered)
    middle = len(ordered) // 2
    return missing_glyphs(set(ordered[:middle])) | missing_glyphs(set(ordered[middle:]))


def typesets(characters: list[str]) -> bool:
    """Do the PDF's fonts show all these characters?"""
    text = " ".join(characters).replace("\\", "\\\\").replace('"', '\\"')
    source = f'#set document(title: "glyphs")\n#set text(font: ({FONTS}))\n#"{text}"\n'
    try:
        typst.compile(
            source.encode("utf-8"), font_paths=[], ignore_system_fonts=True, pdf_standards=PDF_STANDARDS
        )
    except (RuntimeError, typst.TypstError):
        return False
    return True
