"""The page rules: each fires on the mistake it names, with the file and line, and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelines.checks import run_checks
from guidelines.content import load_content
from guidelines.findings import FindingsError
from guidelines.project import load_project

PAGE = "docs/lv/01-first-steps.md"


def messages_after(root: Path, old: str, new: str) -> list[str]:
    path = root / PAGE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    content, findings = load_content(load_project(root))
    return [finding.format() for finding in findings + run_checks(content)]


def test_clean_fixture_has_no_findings(fixture_project):
    content, findings = load_content(load_project(fixture_project))
    assert findings + run_checks(content) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "## Atbilžu skaitīšana",
            "#### Atbilžu skaitīšana",
            f"{PAGE}:19: HEADING_LEVEL heading level 4 follows level 2",
        ),
        (
            "{#counting-answers}",
            "{#asking-residents}",
            f"{PAGE}:19: HEADING_ID_DUPLICATE heading id 'asking-residents'",
        ),
        ("Ja skaitļi", "2022. gada martā ja skaitļi", f"{PAGE}:21: YEAR_LIST '2022.' at the start of a line"),
        (
            '!!! note "Atcerieties"',
            '!!! remark "Atcerieties"',
            f"{PAGE}:12: BOX_KIND unknown box type 'remark'",
        ),
        (
            "\n    Vajadzību aptauja",
            "\nVajadzību aptauja",
            f"{PAGE}:12: BOX_EMPTY the 'note' box has no indented text",
        ),
        (
            "## Atbilžu skaitīšana {#counting-answers}",
            "# Atbilžu skaitīšana",
            f"{PAGE}:19: HEADING_LEVEL a level-1 heading",
        ),
        # PDF/UA refuses text the fonts cannot show: said at its line, before any edition is built
        (
            "Ja skaitļi",
            "Ja 😀 skaitļi",
            f"{PAGE}:21: GLYPH the PDF's fonts cannot show '😀' (U+1F600, GRINNING FACE)",
        ),
        ("Ja skaitļi", "Ja &#1; skaitļi", f"{PAGE}:21: GLYPH the PDF's fonts cannot show '\\x01' (U+0001"),
        # a box's text is Markdown of its own: an empty heading there is still an empty heading
        ("\n    Vajadzību aptauja", "\n    #\n\n    Vajadzību aptauja", f"{PAGE}:14: HEADING_EMPTY"),
        (
            "{#counting-answers}",
            "{#Atbilžu-skaitīšana}",
            f"{PAGE}:19: HEADING_ID_FORM",
        ),
        (
            "[visu nodaļu par telpām](02-premises.md)",
            "[visu nodaļu par telpām](../../mkdocs.yml)",
            f"{PAGE}:10: LINK_OUTSIDE link '../../mkdocs.yml' leaves the docs folder",
        ),
        (
            "Ja skaitļi",
            '--8<-- "../../mkdocs.yml"\n\nJa skaitļi',
            f"{PAGE}:21: INCLUDE_OUTSIDE '../../mkdocs.yml' is outside the docs folder",
        ),
    ],
)
def test_rule_fires_with_file_and_line(fixture_project, old, new, expected):
    messages = messages_after(fixture_project, old, new)
    assert any(message.startswith(expected) for message in messages), messages


# The checks read what the site reads (the page rendered by the site's Markdown configuration): what
# line patterns missed (a setext heading, a reference-style link, raw HTML) is seen, at its line.
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Ja skaitļi", "Budžets\n=======\n\nJa skaitļi", f"{PAGE}:21: HEADING_LEVEL a level-1 heading"),
        ("Ja skaitļi", "Budžets\n-------\n\nJa skaitļi", f"{PAGE}:21: HEADING_ID_MISSING heading 'Budžets'"),
        (
            "Ja skaitļi",
            "Skat. [plānu][p].\n\n[p]: 03-missing.md\n\nJa skaitļi",
            f"{PAGE}:23: LINK_MISSING link to '03-missing.md'",
        ),
        (
            "Ja skaitļi",
            "![Plāns][p]\n\n[p]: images/nav.svg\n\nJa skaitļi",
            f"{PAGE}:23: IMAGE_MISSING",
        ),
        ("Ja skaitļi", "Ja[^9] skaitļi", f"{PAGE}:21: FOOTNOTE_MISSING footnote [^9] is referred to"),
        (
            "[^1]: Pirmās",
            "[^2]: Lieka piezīme.\n[^1]: Pirmās",
            f"{PAGE}:29: FOOTNOTE_UNUSED footnote [^2] is written but nothing refers to it",
        ),
        (
            "Ja skaitļi",
            '<div class="note">Slēgts 18. novembrī.\n\nJa skaitļi',
            f"{PAGE}:21: HTML_UNBALANCED '<div>' is never closed",
        ),
        ("Ja skaitļi", "</div>\n\nJa skaitļi", f"{PAGE}:21: HTML_UNBALANCED '</div>' closes an element"),
        # a bare address that runs on into the footnote after it: the link would hold the footnote's
        (
            "Ja skaitļi",
            "Skat. (www.europa.eu).[^1] Ja skaitļi",
            f"{PAGE}:21: LINK_NESTED the link 'www.europa.eu).",
        ),
        (
            "Ja skaitļi",
            "Skat. <https://../>. Ja skaitļi",
            f"{PAGE}:21: LINK_MALFORMED the web address 'https://../'",
        ),
    ],
)
def test_the_checks_see_what_the_site_renders(fixture_project, old, new, expected):
    messages = messages_after(fixture_project, old, new)
    assert any(message.startswith(expected) for message in messages), messages


@pytest.mark.parametrize(
    "text",
    [
        '<div class="note">Slēgts 18. novembrī.</div>',  # raw HTML closed on its line
        "````\n```\n[^7] <div>\n```\n````",  # a 4-backtick fence holding a 3-backtick one
        "Kods `[^7]` rindā.",  # a footnote reference in code is code
        '!!! note inline end "Piezīme"\n\n    Teksts.',  # every form of box the site accepts
    ],
)
def test_text_the_site_reads_cleanly_passes(fixture_project, text):
    messages = messages_after(fixture_project, "Ja skaitļi", f"{text}\n\nJa skaitļi")
    assert [message for message in messages if "PARITY_" not in message] == []  # not in the English page


def test_every_finding_has_a_hint_or_a_self_explaining_message(fixture_project):
    messages = messages_after(fixture_project, "## Atbilžu skaitīšana", "#### Atbilžu skaitīšana")
    assert all("(hint: " in message for message in messages if "HEADING_LEVEL" in message)


def test_spelling_is_clean_with_the_project_word_lists(fixture_project):
    from guidelines.checks import spelling

    content, _ = load_content(load_project(fixture_project))
    assert spelling.check(content) == []


def test_a_misspelt_word_is_reported_at_its_line_with_suggestions(fixture_project):
    from guidelines.checks import spelling

    page = fixture_project / "docs/lv/02-premises.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Bijusī skola bieži", "Bijusī skola biežži"))
    content, _ = load_content(load_project(fixture_project))
    messages = [finding.format() for finding in spelling.check(content)]
    assert len(messages) == 1
    assert messages[0].startswith("docs/lv/02-premises.md:14: SPELL biežži (hint: did you mean:")
    assert "bieži" in messages[0]


def test_each_dictionary_is_loaded_once_for_every_page_and_part_each_at_its_own_line(
    fixture_project, monkeypatch
):
    """hunspell takes about a tenth of a second to load a dictionary: run once a page, the
    guidelines' spelling check took 177 runs and 20 s."""
    import subprocess

    from guidelines.checks import spelling

    for page, typo in (("docs/lv/02-premises.md", "biežži"), ("docs/lv/01-first-steps.md", "aptaujja")):
        path = fixture_project / page
        path.write_text(path.read_text(encoding="utf-8") + f"\nVārds {typo}.\n", encoding="utf-8")
    page = fixture_project / "docs/lv/02-premises.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nLietuviski: *sociallinė globa*{lang=lt}.\n", encoding="utf-8"
    )
    # A title on two lines, read with every page's lines in one run, moves no other page's answers.
    first = fixture_project / "docs/lv/01-first-steps.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace('title: "Pirmie soļi"', 'title: "Pirmie\\nsoļi"'), encoding="utf-8")
    dictionaries, run = [], subprocess.run

    def hunspell(command, **options):
        dictionaries.append(command[command.index("-d") + 1])
        return run(command, **options)

    monkeypatch.setattr(spelling.subprocess, "run", hunspell)
    content, _ = load_content(load_project(fixture_project))
    found = [(finding.path, finding.line, finding.message) for finding in spelling.check(content)]
    assert sorted(dictionaries) == ["en_GB", "lt_LT", "lv_LV"]

    def line_of(page: str, word: str) -> int:
        lines = (fixture_project / page).read_text(encoding="utf-8").split("\n")
        return next(number for number, line in enumerate(lines, 1) if word in line)

    assert found == [
        ("docs/lv/01-first-steps.md", line_of("docs/lv/01-first-steps.md", "aptaujja"), "aptaujja"),
        ("docs/lv/02-premises.md", line_of("docs/lv/02-premises.md", "biežži"), "biežži"),
        ("docs/lv/02-premises.md", line_of("docs/lv/02-premises.md", "sociallinė"), "sociallinė (lt)"),
    ]


def test_words_in_the_word_list_are_accepted(fixture_project):
    from guidelines.checks import spelling

    word_list = fixture_project / "docs/wordlists/lt.txt"
    words = word_list.read_text(encoding="utf-8").splitlines()
    word_list.write_text("".join(f"{word}\n" for word in words if word != "daugiafunkciam"), encoding="utf-8")
    content, _ = load_content(load_project(fixture_project))
    assert [f.message for f in spelling.check(content)] == ["daugiafunkciam"]


def test_a_translation_that_avoids_the_glossary_term_gets_a_terminology_warning(fixture_project):
    from guidelines.checks import terminology

    content, _ = load_content(load_project(fixture_project))
    assert terminology.check(content) == []  # "daugiafunkciam centrui" is the term, inflected
    page = fixture_project / "docs/lt/02-premises.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("daugiafunkciam centrui", "universaliam pastatui")
    )
    content, _ = load_content(load_project(fixture_project))
    messages = [finding.format() for finding in terminology.check(content)]
    assert messages == [
        "docs/lt/02-premises.md:7: TERM the section uses 'multifunctional centre' in "
        "docs/en/02-premises.md:7, but not 'daugiafunkcis centras' (hint: use the glossary's term "
        "(docs/glossary.yml), or propose a change to the glossary)"
    ]


def test_a_chapter_without_a_translation_is_named_with_the_language_it_lacks(fixture_project):
    (fixture_project / "docs/lt/02-premises.md").unlink()
    _, findings = load_content(load_project(fixture_project))
    (missing,) = [finding for finding in findings if finding.code == "TRANSLATION_MISSING"]
    assert missing.severity.value == "warning" and "02-premises.md" in missing.format()
    assert "lt" in missing.format()


def test_a_picture_in_a_format_browsers_and_editions_do_not_share_is_named(fixture_project):
    (fixture_project / "docs/lv/images/plan.bmp").write_bytes(b"BM" + bytes(60))
    messages = messages_after(fixture_project, "Ja skaitļi", "![Plāns](images/plan.bmp)\n\nJa skaitļi")
    assert f"{PAGE}:21: IMAGE_FORMAT image 'images/plan.bmp' is not SVG, PNG, JPEG, GIF or WebP" in messages


def test_a_glossary_term_without_a_form_in_a_language_is_named(fixture_project):
    from guidelines.glossary import load_glossary

    path = fixture_project / "docs/glossary.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    lt: laikinas atokvėpis\n", ""), encoding="utf-8")
    with pytest.raises(FindingsError) as error:
        load_glossary(path, "docs/glossary.yml", ["en", "lv", "lt"])
    (finding,) = error.value.findings
    assert finding.code == "GLOSSARY" and "respite-care" in finding.message and "lt" in finding.message


def term_messages(root: Path) -> list[str]:
    from guidelines.checks import terminology

    content, _ = load_content(load_project(root))
    return [finding.format() for finding in terminology.check(content)]


def rewrite_page(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


AVOIDED = ("daugiafunkciam centrui", "universaliam pastatui")


def test_a_form_the_glossary_accepts_is_not_a_terminology_warning(fixture_project):
    rewrite_page(fixture_project / "docs/lt/02-premises.md", *AVOIDED)
    assert len(term_messages(fixture_project)) == 1
    rewrite_page(
        fixture_project / "docs/glossary.yml",
        "    lt: daugiafunkcis centras\n",
        "    lt: daugiafunkcis centras\n    accepted:\n      lt: [universalus pastatas]\n",
    )
    assert term_messages(fixture_project) == []


@pytest.mark.parametrize(
    "english",
    [
        "a multifunctional day centre",  # other words between: another term, not this one
        "a multifunctionality centre",  # a longer word, not the term's word with a plural ending
        "<https://example.org/multifunctional-centre>",  # a web address is not prose
    ],
)
def test_the_english_section_uses_a_term_only_as_its_words_together(fixture_project, english):
    rewrite_page(fixture_project / "docs/lt/02-premises.md", *AVOIDED)
    rewrite_page(fixture_project / "docs/en/02-premises.md", "a multifunctional centre", english)
    assert term_messages(fixture_project) == []


def test_the_english_term_in_the_plural_is_still_the_term(fixture_project):
    rewrite_page(fixture_project / "docs/lt/02-premises.md", *AVOIDED)
    rewrite_page(
        fixture_project / "docs/en/02-premises.md", "a multifunctional centre", "multifunctional centres"
    )
    assert [m.split(": TERM")[0] for m in term_messages(fixture_project)] == ["docs/lt/02-premises.md:7"]


def test_accepted_forms_that_are_not_a_list_per_language_are_a_glossary_error(fixture_project):
    from guidelines.findings import FindingsError
    from guidelines.glossary import parse_glossary

    text = (fixture_project / "docs/glossary.yml").read_text(encoding="utf-8")
    broken = text.replace(
        "    lt: daugiafunkcis centras\n",
        "    lt: daugiafunkcis centras\n    accepted: universalus pastatas\n",
        1,
    )
    with pytest.raises(FindingsError) as raised:
        parse_glossary(broken, "docs/glossary.yml", ["en", "lv", "lt"])
    assert [f.code for f in raised.value.findings] == ["GLOSSARY"]
    assert "'accepted' must map a language code to a list of forms" in raised.value.findings[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 41 bytes: brackets 20 deep
        ("[" * 20 + "x" + "]" * 20, f"{PAGE}:23: NESTING_DEPTH brackets nested 20 deep"),
        ("> " * 20 + "Citāts.", f"{PAGE}:23: NESTING_DEPTH block quotes nested 20 deep"),
        (
            "\n".join("    " * level + f"- punkts {level}" for level in range(12)),
            f"{PAGE}:34: NESTING_DEPTH lists nested 12 deep",
        ),
        # so deep that the Markdown reader itself gives up: still a finding at its line, not a crash
        ("- " * 2000 + "x", f"{PAGE}:23: NESTING_DEPTH lists nested too deep to read"),
    ],
)
def test_nesting_too_deep_to_typeset_is_refused_at_its_line(fixture_project, text, expected):
    from guidelines.findings import FindingsError

    try:
        messages = messages_after(fixture_project, "Ja skaitļi", f"Teksts.\n\n{text}\n\nJa skaitļi")
    except FindingsError as error:  # the reading stopped: the finding says where
        messages = [finding.format() for finding in error.findings]
    assert any(message.startswith(expected) for message in messages), messages


def test_nesting_a_few_levels_deep_passes(fixture_project):
    text = (
        "[" * 8
        + "x"
        + "]" * 8
        + "\n\n"
        + "> " * 8
        + "Citāts.\n\n"
        + "\n".join("    " * level + "- punkts" for level in range(8))
    )
    messages = messages_after(fixture_project, "Ja skaitļi", f"{text}\n\nJa skaitļi")
    assert [message for message in messages if "NESTING" in message] == []


def test_nesting_that_would_take_the_reader_minutes_is_refused_before_it_reads(fixture_project):
    import subprocess
    import sys

    path = fixture_project / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + "[" * 20_000 + "x" + "]" * 20_000 + "\n", encoding="utf-8")  # 40 KB
    line = text.count("\n") + 2
    result = subprocess.run(
        [sys.executable, "-m", "guidelines", "check", "--project", str(fixture_project)],
        capture_output=True,
        text=True,
        timeout=60,  # Python-Markdown alone took over 300 s
    )
    assert result.returncode == 1
    assert f"{PAGE}:{line}: NESTING_DEPTH brackets nested too deep to read ([ ])" in result.stderr
