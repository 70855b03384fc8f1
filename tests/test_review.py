"""`guidelines review`: what a proposed change does, per language, said for the people who review it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE, copy_fixture, git, init_repository, run_command

from guidelines.changes import word_diff
from guidelines.project import load_project
from guidelines.review import CONTEXT_WORDS, as_markdown, as_text, review, shortened
from guidelines.translations import mark_current, translation_paths

LONG_ENGLISH = "\n\n".join(
    f"Paragraph {number} of the new section: municipal specialists compare the cost of adapting a "
    "building with the services the community needs, and ask the future visitors what would make them come."
    for number in range(60)
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def proposed_change(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main: the fixture with every translation marked checked, no Lithuanian premises chapter, then
    an English edit of the first chapter (so its translations are outdated). The branch, against it:
    an English edit (a word, and a long new section), a Latvian edit that updates the outdated Latvian
    first chapter, and a new Lithuanian page, that one not yet committed."""
    root = copy_fixture(tmp_path_factory.mktemp("review"))
    (root / "docs/lt/02-premises.md").unlink()
    init_repository(root)
    mark_current(load_project(root), translation_paths(load_project(root), ["all"]))
    git(root, "commit", "--quiet", "--all", "--message", "Translations checked")
    edit(
        root / "docs/en/01-first-steps.md",
        "## Asking residents",
        "Ask before you plan.\n\n## Asking residents",
    )
    git(root, "commit", "--quiet", "--all", "--message", "First steps: ask first")
    git(root, "switch", "--quiet", "--create", "proposal")
    premises = root / "docs/en/02-premises.md"
    edit(premises, "its corridors are wide", "its corridors are usually wide")
    edit(premises, "!!! warning", f"## Costs {{#costs}}\n\n{LONG_ENGLISH}\n\n!!! warning")
    latvian = root / "docs/lv/01-first-steps.md"
    latvian.write_text(
        latvian.read_text(encoding="utf-8") + "\nJautājiet, pirms plānojat.\n", encoding="utf-8"
    )
    mark_current(load_project(root), [latvian])
    git(root, "commit", "--quiet", "--all", "--message", "Premises: costs; Latvian first steps updated")
    shutil.copy(FIXTURE / "docs/lt/02-premises.md", root / "docs/lt/02-premises.md")
    (root / "review.md").write_text("the review's own output, written while it runs\n")
    mark_current(load_project(root), [root / "docs/lt/02-premises.md"])
    return root


@pytest.fixture(scope="module")
def reviewed(proposed_change: Path):
    project = load_project(proposed_change)
    return project, review(project, "main", jobs=2)


@pytest.mark.slow  # builds or typesets
def test_each_language_lists_its_changed_pages_with_the_changed_words(reviewed):
    project, result = reviewed
    assert [(c.name, c.status) for c in result.changes["en"]] == [("02-premises.md", "changed")]
    assert [(c.name, c.status) for c in result.changes["lv"]] == [("01-first-steps.md", "changed")]
    assert [(c.name, c.status) for c in result.changes["lt"]] == [("02-premises.md", "added")]
    text = as_markdown(result, project, "https://example.org/guidelines/pr/7/")
    english = text[text.index("### English") : text.index("### Latvian")]
    link = "[Premises](https://example.org/guidelines/pr/7/02-premises/)"
    assert f"- **{link}** (changed, `docs/en/02-premises.md`)" in english
    assert "its corridors are <ins>usually</ins> wide" in english
    latvian = text[text.index("### Latvian") : text.index("### Lithuanian")]
    assert "[Pirmie soļi](https://example.org/guidelines/pr/7/lv/01-first-steps/)" in latvian
    assert "<ins>Jautājiet, pirms plānojat.</ins>" in latvian
    lithuanian = text[text.index("### Lithuanian") : text.index("### Translations")]
    assert "[Patalpos](https://example.org/guidelines/pr/7/lt/02-premises/)** (new page" in lithuanian


@pytest.mark.slow  # builds or typesets
def test_a_big_change_is_shortened(reviewed):
    project, result = reviewed
    text = as_markdown(result, project)
    english = text[text.index("### English") : text.index("### Latvian")]
    assert "… and 56 more changed paragraphs: read the whole page." in english
    assert len(english) < 3000  # the new section alone has some 1,800 words
    assert "Paragraph 59" not in english


@pytest.mark.slow  # builds or typesets
def test_translations_made_outdated_and_brought_up_to_date(reviewed):
    project, result = reviewed
    assert [(c.language, c.name, c.before.name, c.after.name) for c in result.outdated] == [
        ("lv", "02-premises.md", "CURRENT", "OUTDATED")
    ]
    assert sorted((c.language, c.name, c.before.name, c.after.name) for c in result.refreshed) == [
        ("lt", "02-premises.md", "MISSING", "CURRENT"),
        ("lv", "01-first-steps.md", "OUTDATED", "CURRENT"),
    ]
    text = as_text(result, project)
    assert "- Latvian: Premises (docs/lv/02-premises.md): up to date → outdated" in text
    assert "- Lithuanian: Premises (docs/lt/02-premises.md): missing → up to date" in text
    # the Lithuanian first chapter was outdated before the change and still is: not this change's doing
    assert "docs/lt/01-first-steps.md" not in text


@pytest.mark.slow  # builds or typesets
def test_each_pdf_is_counted_before_and_after(reviewed, proposed_change):
    project, result = reviewed
    pages = {entry.language: (entry.before, entry.after) for entry in result.pages}
    assert set(pages) == {"en", "lv", "lt"}
    assert all(isinstance(n, int) and n > 0 for pair in pages.values() for n in pair)
    assert pages["en"][1] > pages["en"][0]  # sixty new paragraphs make the English PDF longer
    text = as_markdown(result, project)
    before, after = pages["en"]
    assert f"| English PDF | {before} | {after} | +{after - before} |" in text
    # the base was typeset in a temporary worktree, which is gone
    worktrees = git(proposed_change, "worktree", "list").strip().splitlines()
    assert len(worktrees) == 1


def test_the_checks_findings_on_the_changed_pages_only(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root / "docs/lt/01-first-steps.md", "---\n\n", "---\n\n![](images/plan.svg)\n\n")  # on main already
    init_repository(root)
    unchanged = as_markdown(review(load_project(root), "HEAD", count_pages=False), load_project(root))
    assert "No page changed in this language." in unchanged and "No problems found." in unchanged
    edit(root / "docs/lv/02-premises.md", "](images/plan.svg)", "](images/missing.svg)")
    result = review(load_project(root), "HEAD", count_pages=False)
    assert {f.path for f in result.findings} == {"docs/lv/02-premises.md"}
    assert "IMAGE_MISSING" in {f.code for f in result.findings}
    text = as_markdown(result, load_project(root))
    assert re.search(r"- `docs/lv/02-premises\.md:\d+` \*\*IMAGE_MISSING\*\* \(error\)", text)


def test_shortening_keeps_the_words_next_to_a_change():
    before = " ".join(f"word{n}" for n in range(100))
    after = before.replace("word50", "changed")
    runs = shortened(tuple(word_diff(before, after)))
    shown = "".join(text for _, text in runs)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown.split()) <= 2 * CONTEXT_WORDS + 4
    assert ("delete", "word50") in runs and ("insert", "changed") in runs
    assert f"word{50 - CONTEXT_WORDS}" in shown and f"word{49 - CONTEXT_WORDS}" not in shown


MARKDOWN_WITH_LINKS = ["--format", "markdown", "--no-pages", "--preview", "7"]


def test_the_command_prints_the_review(proposed_change):
    result = run_command("review", "-C", str(proposed_change), "--base", "main", *MARKDOWN_WITH_LINKS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## What this change does to the guidelines")
    assert "### Translations" in result.stdout and "PDF editions" not in result.stdout
    assert "Other files changed" not in result.stdout  # not review.md, which is not in docs/
    # the preview's address is the site's (mkdocs.yml's site_url) followed by pr/7/
    assert "[Patalpos](https://example.org/guidelines/pr/7/lt/02-premises/)" in result.stdout


def test_the_changed_pages_addresses_for_the_browser_check(proposed_change):
    result = run_command("review", "-C", str(proposed_change), "--base", "main", "--format", "addresses")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["02-premises/", "lv/01-first-steps/", "lt/02-premises/"]
