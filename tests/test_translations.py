"""Translations know which source text they translate; status says when the source moved on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import build_site_only

from guidelines.content import load_content
from guidelines.project import load_project
from guidelines.translations import State, mark_current, normalise, set_source_record, translation_status


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repository(fixture_project: Path) -> Path:
    """The fixture as a git repository whose Latvian and Lithuanian pages are marked current."""
    git(fixture_project, "init", "-q")
    git(fixture_project, "config", "user.email", "editor@example.org")
    git(fixture_project, "config", "user.name", "Editor")
    git(fixture_project, "add", "-A")
    git(fixture_project, "commit", "-qm", "first edition")
    project = load_project(fixture_project)
    translations = [p for code in ("lv", "lt") for p in (fixture_project / "docs" / code).glob("*.md")]
    mark_current(project, translations)
    git(fixture_project, "commit", "-qam", "translations checked")
    return fixture_project


def states(root: Path) -> dict[tuple[str, str], State]:
    content, _ = load_content(load_project(root))
    return {(s.language, s.name): s.state for s in translation_status(content)}


def edit_source(root: Path, old: str, new: str, message: str) -> None:
    path = root / "docs/en/02-premises.md"
    path.write_text(path.read_text().replace(old, new))
    git(root, "commit", "-qam", message)


def test_marked_translations_are_up_to_date(repository):
    assert set(states(repository).values()) == {State.CURRENT}


def test_a_changed_source_makes_its_translations_outdated_with_a_diff(repository):
    edit_source(
        repository, "Premises shape what a centre can offer.", "Premises decide what a centre offers.", "edit"
    )
    content, _ = load_content(load_project(repository))
    outdated = [s for s in translation_status(content) if s.state is State.OUTDATED]
    assert {(s.language, s.name) for s in outdated} == {("lv", "02-premises.md"), ("lt", "02-premises.md")}
    assert "-Premises shape what a centre can offer.[^1]" in outdated[0].diff
    assert "+Premises decide what a centre offers.[^1]" in outdated[0].diff
    assert outdated[0].source_changed  # a date from git


def test_whitespace_only_edits_do_not_make_translations_outdated(repository):
    edit_source(
        repository,
        "Premises shape what a centre can offer.",
        "Premises shape   what a centre\ncan offer.",
        "wrap",
    )
    assert set(states(repository).values()) == {State.CURRENT}


def test_front_matter_edits_do_not_make_translations_outdated(repository):
    edit_source(repository, 'title: "Premises"', 'title: "Premises and rooms"', "retitle")
    assert set(states(repository).values()) == {State.CURRENT}


def test_a_missing_translation_is_reported(repository):
    (repository / "docs/lt/02-premises.md").unlink()
    assert states(repository)[("lt", "02-premises.md")] is State.MISSING


def test_mark_current_records_the_source_and_clears_outdated(repository):
    edit_source(
        repository, "Premises shape what a centre can offer.", "Premises decide what a centre offers.", "edit"
    )
    project = load_project(repository)
    changed = mark_current(project, [repository / "docs/lv/02-premises.md"])
    assert changed == [repository / "docs/lv/02-premises.md"]
    result = states(repository)
    assert result[("lv", "02-premises.md")] is State.CURRENT
    assert result[("lt", "02-premises.md")] is State.OUTDATED


@pytest.mark.slow
def test_outdated_page_shows_a_banner_in_the_readers_language(repository):
    edit_source(
        repository, "Premises shape what a centre can offer.", "Premises decide what a centre offers.", "edit"
    )
    build_site_only(repository)
    page = (repository / "site/lv/02-premises/index.html").read_text()
    assert "Šis tulkojums var būt novecojis" in page
    assert 'href="../../02-premises/"' in page
    assert (
        "Šis tulkojums var būt novecojis"
        not in (repository / "site/lv/01-first-steps/index.html").read_text()
    )


@pytest.mark.slow
def test_untranslated_page_falls_back_to_english_with_a_banner(repository):
    (repository / "docs/lt/02-premises.md").unlink()
    build_site_only(repository)
    page = (repository / "site/lt/02-premises/index.html").read_text()
    assert "Dar neišversta" in page and "Premises shape what a centre can offer." in page


def test_source_record_replaces_an_old_one_and_keeps_other_keys():
    text = '---\ntitle: "Telpas"\nsource:\n  hash: old\n  revision: abc\n---\n\nBody\n'
    assert (
        set_source_record(text, "source:\n  hash: new\n")
        == '---\ntitle: "Telpas"\nsource:\n  hash: new\n---\n\nBody\n'
    )


def test_source_record_goes_into_front_matter_closed_with_dots_not_below_a_rule_in_the_body():
    # YAML's "..." closes front matter as well as "---"; reading and writing find the same end.
    text = '---\ntitle: "Telpas"\n...\n\nBody\n\n---\n\nMore\n'
    assert (
        set_source_record(text, "source:\n  hash: new\n")
        == '---\ntitle: "Telpas"\nsource:\n  hash: new\n...\n\nBody\n\n---\n\nMore\n'
    )


def test_normalise_ignores_line_wrapping_but_not_words():
    assert normalise("a b\nc\n\n\nd") == normalise("a  b c\n\nd")
    assert normalise("a b c") != normalise("a b d")


@pytest.mark.slow
def test_status_page_lists_every_chapter_and_language(repository):
    edit_source(
        repository, "Premises shape what a centre can offer.", "Premises decide what a centre offers.", "edit"
    )
    build_site_only(repository)
    page = (repository / "site/translation-status/index.html").read_text()
    assert "<td>Premises</td>\n<td>outdated</td>\n<td>outdated</td>" in page
    assert "<td>First steps</td>\n<td>up to date</td>\n<td>up to date</td>" in page


def test_a_commit_that_looks_like_a_number_is_recorded_as_written(fixture_project, monkeypatch):
    # YAML reads 0705436 as the octal number 232254, and 2322540 as a number: both stay strings.
    from guidelines import translations

    for revision in ("0705436", "2322540", "8550a1e"):
        monkeypatch.setattr(translations, "head_revision", lambda root, revision=revision: revision)
        monkeypatch.setattr(translations, "_git", lambda root, *args: "")
        page = fixture_project / "docs" / "lv" / "02-premises.md"
        mark_current(load_project(fixture_project), [page])
        content, _ = load_content(load_project(fixture_project))
        (status,) = [s for s in translation_status(content, with_diff=False) if s.path == page]
        assert status.recorded_revision == revision
