"""Latvian PDFs hyphenate: soft hyphens from LibreOffice's patterns, minus the breaks a typesetter rejects."""

from __future__ import annotations

import pytest

from guidelines.editions.hyphenation import (
    SOFT_HYPHEN,
    hyphenate_ast,
    hyphenate_text,
    hyphenate_word,
    needs_soft_hyphens,
)


def breaks(word: str) -> str:
    return hyphenate_word(word, "lv").replace(SOFT_HYPHEN, "-")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pakalpojumu", "pa-kal-po-jumu"),
        ("organizācijas", "or-ga-ni-zā-ci-jas"),
        ("iedzīvotājiem", "ie-dzī-vo-tā-jiem"),
        ("reģistrēšana", "re-ģis-trē-šana"),
    ],
)
def test_latvian_words_break_at_syllables(word, expected):
    assert breaks(word) == expected


def test_consonant_clusters_are_not_split_the_way_the_patterns_do():
    assert "fun-kcio" not in breaks("daudzfunkcionālais")
    assert "-kc" not in breaks("funkcionālajiem")


def test_dz_is_never_split():
    assert "d-z" not in breaks("iedzīvotājiem")


def test_only_languages_typst_cannot_hyphenate_get_soft_hyphens():
    assert needs_soft_hyphens("lv")
    assert not needs_soft_hyphens("lt") and not needs_soft_hyphens("en")


def test_headings_and_web_addresses_are_left_whole():
    heading = {"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "Pakalpojumu"}]]}
    link = {
        "t": "Link",
        "c": [["", [], []], [{"t": "Str", "c": "https://likumi.lv/pakalpojumu"}], ["https://likumi.lv", ""]],
    }
    assert hyphenate_ast(heading, "lv") == heading
    assert hyphenate_ast(link, "lv") == link
    paragraph = {"t": "Para", "c": [{"t": "Str", "c": "pakalpojumu"}]}
    assert SOFT_HYPHEN in hyphenate_ast(paragraph, "lv")["c"][0]["c"]


def test_web_addresses_and_file_names_in_running_text_are_not_hyphenated():
    text = "Avots: https://likumi.lv/ta/id/68488-socialo, plan_pakalpojumu.svg, www.pakalpojumi.lv"
    assert hyphenate_text(text, "lv") == text
