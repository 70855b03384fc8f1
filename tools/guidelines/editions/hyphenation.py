"""Soft hyphens for languages Typst cannot hyphenate (Latvian), inserted into the pandoc AST.

Typst ships no Latvian patterns and says nothing; justified Latvian text then has loose lines. pyphen
carries LibreOffice's lv_LV patterns, which split some consonant clusters badly ("daudzfun-kcio-nā-lais").
Breaks are therefore kept only where the next line starts with a vowel, one consonant ("dz" and "dž"
count as one and are never split), or a consonant followed by r, l, ļ or j.
"""

from __future__ import annotations

import re
from functools import cache

import pyphen

SOFT_HYPHEN = "\u00ad"
# Languages that need soft hyphens, with their pyphen dictionary.
DICTIONARIES = {"lv": "lv_LV"}
VOWELS = set("aāeēiīoōuūyAĀEĒIĪOŌUŪY")
LIQUIDS = set("rlļj")
WORD = re.compile(r"[^\W\d_]{7,}")


def needs_soft_hyphens(language: str) -> bool:
    return language in DICTIONARIES


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=DICTIONARIES[language], left=2, right=3)


def _good_break(word: str, position: int) -> bool:
    """Is a line break before word[position] one a Latvian typesetter would accept?"""
    before, after = word[position - 1], word[position:]
    if before.lower() == "d" and after[0].lower() in "zž":
        return False
    onset = ""
    for letter in after:
        if letter in VOWELS:
            break
        onset += letter.lower()
    onset = onset.replace("dz", "Z").replace("dž", "Z")  # one sound, one letter for counting
    return len(onset) <= 1 or (len(onset) == 2 and onset[1] in LIQUIDS)


def hyphenate_word(word: str, language: str) -> str:
    positions = [p for p in _dictionary(language).positions(word) if _good_break(word, p)]
    for position in reversed(positions):
        word = word[:position] + SOFT_HYPHEN + word[position:]
    return word


# Web addresses, e-mail addresses, file names and codes stay whole: a hyphen in them misleads.
NOT_A_WORD = re.compile(r"[/@_]|\w\.\w|^www")


def _hyphenate_match(match: re.Match, language: str) -> str:
    word = match.group(0)
    # A word in capitals is a name or an acronym (OCTOPUS): split, it reads as two.
    return word if word.isupper() else hyphenate_word(word, language)


def hyphenate_text(text: str, language: str) -> str:
    return "".join(
        token
        if NOT_A_WORD.search(token)
        else WORD.sub(lambda match: _hyphenate_match(match, language), token)
        for token in re.split(r"(\s+)", text)
    )


def hyphenate_ast(node, language: str):
    """Walk pandoc's JSON AST and hyphenate the words of every Str, leaving code, links' targets and
    raw output alone (they are not Str nodes)."""
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return {"t": "Str", "c": hyphenate_text(node["c"], language)}
        if node.get("t") in {"Header", "Image"}:  # headings feed the outline; alt text is read aloud
            return node
        if node.get("t") in {"Div", "Span"} and _written_in_another_language(node["c"][0], language):
            return node  # a fallback chapter or a quotation: another language's rules, not these
        if node.get("t") in {"Link"}:
            # [attr, inlines, target]: a web address shown as its own text must stay copyable.
            attr, inlines, target = node["c"]
            if any(item.get("t") == "Str" and "/" in item.get("c", "") for item in inlines):
                return node
            return {"t": "Link", "c": [attr, hyphenate_ast(inlines, language), target]}
        return {key: hyphenate_ast(value, language) for key, value in node.items()}
    if isinstance(node, list):
        return [hyphenate_ast(item, language) for item in node]
    return node


def _written_in_another_language(attr, language: str) -> bool:
    """Does a Div's or Span's attribute list ([id, classes, [[key, value], …]]) say `lang` other?"""
    lang = dict(attr[2]).get("lang")
    return bool(lang) and lang.split("-")[0] != language
