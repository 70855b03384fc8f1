"""Language of parts (WCAG 2.1, 3.1.2): a word or passage of another language, marked as such
(`*atelpas brīža pakalpojums*{lang=lv}` in a Lithuanian page, the glossary's columns), is read in its
own language everywhere: the site's HTML, the PDF's tags, the EPUB, the DOCX's runs, and the spelling
check; a glossary term of another language left unmarked gets a warning."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pikepdf
from conftest import edition_file

from guidelines.checks import languages, run_checks, spelling
from guidelines.content import load_content
from guidelines.findings import Severity
from guidelines.project import load_project

MARKED = "atelpas brīža pakalpojums"  # the Latvian term, quoted in the Lithuanian chapter
CHAPTER = "docs/lt/01-first-steps.md"


def test_a_marked_part_is_found_at_its_line_with_its_language(fixture_project):
    content, _ = load_content(load_project(fixture_project))
    page = content.page("lt", "01-first-steps.md")
    (part,) = page.parts_in_other_languages
    lines = (fixture_project / CHAPTER).read_text(encoding="utf-8").splitlines()
    assert (part.language, part.text) == ("lv", MARKED)
    assert f"*{MARKED}*{{lang=lv}}" in lines[part.line - 1]


def test_a_glossary_term_of_another_language_left_unmarked_is_a_warning(fixture_project):
    content, _ = load_content(load_project(fixture_project))
    assert languages.check(content) == []
    chapter = fixture_project / CHAPTER
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace(f"*{MARKED}*{{lang=lv}}", MARKED), encoding="utf-8"
    )
    content, _ = load_content(load_project(fixture_project))
    (finding,) = languages.check(content)
    assert finding.code == "LANGUAGE_UNMARKED" and finding.path == CHAPTER
    assert MARKED in chapter.read_text(encoding="utf-8").splitlines()[finding.line - 1]
    assert "{lang=lv}" in finding.hint


PHRASE = "dienos priežiūros centras"  # Lithuanian: words the English dictionary does not know
ENGLISH = "docs/en/01-first-steps.md"


def _with_line(project, page: str, after: str, line: str) -> int:
    """The page with the line written after the line `after`; the new line's number."""
    path = project / page
    lines = path.read_text(encoding="utf-8").split("\n")
    index = lines.index(after) + 1
    path.write_text("\n".join([*lines[:index], "", line, "", *lines[index:]]), encoding="utf-8")
    return index + 2


def _unmarked(project) -> list:
    content, _ = load_content(load_project(project))
    return [finding for finding in languages.check(content) if finding.code == "LANGUAGE_UNMARKED"]


def test_an_unmarked_phrase_of_another_language_is_found_at_its_line_with_its_language(fixture_project):
    line = _with_line(
        fixture_project,
        ENGLISH,
        "A centre starts with a question: what does the community need?[^1]",
        f"In Lithuania such a place is a {PHRASE}, open on weekdays.",
    )
    (finding,) = _unmarked(fixture_project)
    assert (finding.path, finding.line) == (ENGLISH, line)
    assert f"“{PHRASE}” is in lt" in finding.message
    assert f"*{PHRASE}*{{lang=lt}}" in finding.hint


def test_checked_again_after_a_save_hunspell_is_asked_only_about_the_words_just_written(
    fixture_project, monkeypatch
):
    """The preview checks the pages after every save: each dictionary is asked about a word once in a
    process, and a save of a few new words does not load the three dictionaries again for all."""
    run, asked = subprocess.run, []

    def hunspell(command, *, input, **options):
        asked.append(set(input.split()))
        return run(command, input=input, **options)

    monkeypatch.setattr(spelling, "_ANSWERED", {}, raising=False)  # a fresh process
    monkeypatch.setattr(spelling.subprocess, "run", hunspell)
    assert _unmarked(fixture_project) == []
    assert len(asked) == 3  # the three dictionaries, each once, every word of the pages
    asked.clear()
    assert _unmarked(fixture_project) == []
    assert asked == []
    written = f"In Lithuania such a place is a {PHRASE}, open on weekdays."
    line = _with_line(
        fixture_project,
        ENGLISH,
        "A centre starts with a question: what does the community need?[^1]",
        written,
    )
    (finding,) = _unmarked(fixture_project)
    assert (finding.line, PHRASE in finding.message) == (line, True)
    assert asked and all(words <= set(re.findall(r"\w+", written)) for words in asked)


def test_the_same_phrase_marked_is_not_reported(fixture_project):
    _with_line(
        fixture_project,
        ENGLISH,
        "A centre starts with a question: what does the community need?[^1]",
        f"In Lithuania such a place is a *{PHRASE}*{{lang=lt}}, open on weekdays.",
    )
    assert _unmarked(fixture_project) == []


def test_a_phrase_marked_once_and_later_written_unmarked_is_reported_where_it_is_unmarked(fixture_project):
    start = "A centre starts with a question: what does the community need?[^1]"
    unmarked = _with_line(fixture_project, ENGLISH, start, f"Later the {PHRASE} grew.")
    _with_line(fixture_project, ENGLISH, start, f"In Lithuania it is a *{PHRASE}*{{lang=lt}}.")
    (finding,) = _unmarked(fixture_project)
    assert finding.line == unmarked + 3  # the marked line, and its blank lines, came before it


def test_place_names_are_not_reported_but_a_quoted_title_is_whole(fixture_project):
    start = "A centre starts with a question: what does the community need?[^1]"
    _with_line(fixture_project, ENGLISH, start, "The partners met in Rokiškis, Plungė and Biržai.")
    assert _unmarked(fixture_project) == []
    _with_line(fixture_project, ENGLISH, start, "Read *Socialinių paslaugų katalogas* first.")
    (finding,) = _unmarked(fixture_project)
    assert "“Socialinių paslaugų katalogas” is in lt" in finding.message


def test_a_quoted_title_is_one_run_across_its_dash(fixture_project):
    title = "Daudzfunkcionālo centru \u2013 vietējās kopienas attīstība"  # an en dash
    start = "A centre starts with a question: what does the community need?[^1]"
    _with_line(fixture_project, ENGLISH, start, f"The Latvian title is “{title}”.")
    (finding,) = _unmarked(fixture_project)
    assert f"*{title}*{{lang=lv}}" in finding.hint


def test_a_latvian_word_in_a_lithuanian_page_is_reported_as_latvian(fixture_project):
    line = _with_line(
        fixture_project,
        CHAPTER,
        "Centras prasideda nuo klausimo: ko reikia bendruomenei?[^1]",
        "Latvijoje tokią organizaciją vadina biedrība.",
    )
    (finding,) = _unmarked(fixture_project)
    assert (finding.path, finding.line) == (CHAPTER, line)
    assert "“biedrība” is in lv" in finding.message and "*biedrība*{lang=lv}" in finding.hint


def test_a_word_the_pages_word_list_declares_is_of_the_pages_language(fixture_project):
    """hunspell's Lithuanian dictionary lacks some Lithuanian words; the project's word list adds
    them, and the check then takes them as Lithuanian, not as the other language whose dictionary
    happens to know the same letters."""
    _with_line(
        fixture_project,
        CHAPTER,
        "Centras prasideda nuo klausimo: ko reikia bendruomenei?[^1]",
        "Latvijoje tokią organizaciją vadina biedrība.",
    )
    assert _unmarked(fixture_project)
    wordlist = fixture_project / "docs" / "wordlists" / "lt.txt"
    wordlist.parent.mkdir(exist_ok=True)
    with wordlist.open("a", encoding="utf-8") as words:
        words.write("biedrība\n")
    assert _unmarked(fixture_project) == []


def test_a_part_marked_on_two_lines_is_placed_at_each_and_spelt_in_its_language_on_both(fixture_project):
    second = _with_line(
        fixture_project,
        CHAPTER,
        "Centras prasideda nuo klausimo: ko reikia bendruomenei?[^1]",
        f"Latvijoje tai *{MARKED}*{{lang=lv}}.",
    )
    content, _ = load_content(load_project(fixture_project))
    lines = (fixture_project / CHAPTER).read_text(encoding="utf-8").splitlines()
    parts = content.page("lt", "01-first-steps.md").parts_in_other_languages
    assert second in [part.line for part in parts] and len({part.line for part in parts}) == 2
    assert all(f"*{MARKED}*{{lang=lv}}" in lines[part.line - 1] for part in parts)
    assert spelling.check(content) == []


def test_a_marked_part_is_spelt_with_its_own_languages_dictionary(fixture_project):
    content, _ = load_content(load_project(fixture_project))
    assert spelling.check(content) == []  # Latvian words, not flagged by the Lithuanian dictionary
    chapter = fixture_project / CHAPTER
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("atelpas brīža", "atelpas brīžža"), encoding="utf-8"
    )
    content, _ = load_content(load_project(fixture_project))
    (finding,) = spelling.check(content)
    assert finding.message == "brīžža (lv)"
    assert "brīža" in finding.hint


def test_a_marked_part_and_the_glossary_columns_carry_their_language_in_every_output(built_fixture):
    site = built_fixture / "site"
    page = (site / "lt" / "01-first-steps" / "index.html").read_text(encoding="utf-8")
    assert f'<em lang="lv">{MARKED}</em>' in page
    glossary = (site / "lt" / "annex-a-glossary" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="lv">daudzfunkcionālais centrs</span>' in glossary

    with zipfile.ZipFile(edition_file(site, "lt", "epub")) as epub:
        text = "".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml"))
    assert re.search(rf'<span lang="lv">\s*<em>{MARKED}</em>\s*</span>', text)

    with zipfile.ZipFile(edition_file(site, "lt", "docx")) as docx:
        document = docx.read("word/document.xml").decode()
    # The run of the marked words says it is Latvian.
    run = re.search(rf"<w:r>(?:(?!</w:r>).)*{MARKED}", document, re.S).group(0)
    assert '<w:lang w:val="lv"' in run

    with pikepdf.open(edition_file(site, "lt", "pdf")) as pdf:
        streams = b"".join(
            stream.read_bytes()
            for page in pdf.pages
            for stream in (page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents])
        )
    assert b"/Lang(lv)" in streams


def test_a_language_code_that_is_none_is_an_error_at_its_line_before_any_edition_is_made(fixture_project):
    """A malformed `lang` passed the checks and then failed the EPUB (EPUBCheck, no page named);
    a code no language has (`zz`) reached every output. A real code, with its region, is fine."""
    after = "A centre starts with a question: what does the community need?[^1]"
    _with_line(fixture_project, ENGLISH, after, "Some *vārds*{lang=zz} here.")
    _with_line(fixture_project, ENGLISH, after, """More *y*{lang='lv") #panic("boom'} end.""")
    _with_line(fixture_project, ENGLISH, after, "Fine: *Wort*{lang=de} and *colour*{lang=en-GB}.")
    lines = (fixture_project / ENGLISH).read_text(encoding="utf-8").split("\n")
    unknown = next(number for number, line in enumerate(lines, 1) if "{lang=zz}" in line)
    malformed = next(number for number, line in enumerate(lines, 1) if "#panic" in line)
    content, _ = load_content(load_project(fixture_project))
    found = [finding for finding in run_checks(content) if finding.code == "LANGUAGE_CODE"]
    assert sorted((finding.path, finding.line) for finding in found) == sorted(
        [(ENGLISH, malformed), (ENGLISH, unknown)]
    )
    assert all(finding.severity == Severity.ERROR for finding in found)
    assert 'lang="zz" is not a language code' in {finding.message for finding in found}
