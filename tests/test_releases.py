"""Released editions: recorded in git and CHANGELOG.md, published side by side, never changed."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import markdown
import pytest
from conftest import EDITED_CHAPTER, FIXTURE, FIXTURE_EPOCH, git, init_repository, run_command
from pypdf import PdfReader

from guidelines.changelog import add_entry
from guidelines.changes import (
    CHANGES_LABELS,
    compare_pages,
    page_reader,
    reader_text,
    render_markdown,
    word_diff,
)
from guidelines.deploy import export_published
from guidelines.project import load_project
from guidelines.versions import Version, previous_release

LANGUAGES = {"en": "", "lv": "lv/", "lt": "lt/"}


@pytest.fixture(scope="module")
def published(released_repository: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of the gh-pages branch, as the static host gets them."""
    folder = tmp_path_factory.mktemp("published")
    export_published(load_project(released_repository), folder)
    return folder


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_command(*args, "--project", str(root))


def repository_state(root: Path) -> dict[str, str]:
    return {
        "head": git(root, "rev-parse", "HEAD"),
        "tags": git(root, "tag", "--list"),
        "gh-pages": git(root, "rev-parse", "gh-pages"),
        "changelog": (root / "CHANGELOG.md").read_text(encoding="utf-8"),
        "status": git(root, "status", "--porcelain"),
    }


# --- edition numbers, changelog, diff: the pure parts -------------------------------------------


def test_edition_numbers_compare_as_numbers():
    assert Version.parse("1.10") > Version.parse("1.9")
    assert Version.parse("v1.1") == Version.parse("1.1.0")
    assert previous_release([Version.parse("1.0"), Version.parse("1.1")], "1.1") == Version.parse("1.0")
    assert previous_release([Version.parse("1.0"), Version.parse("1.1")], None) == Version.parse("1.1")
    assert previous_release([Version.parse("1.0")], "1.0") is None


@pytest.mark.parametrize(
    "text",
    [
        "1",
        "1.0-beta",
        "01.2",
        "latest",
        "dev",
        "1.2.3.4",
        "",
        "1.1\u0661",  # an Arabic-Indic digit one: not edition 1.11
        "\uff11.\uff10",  # fullwidth digits
        "1." + "1" * 5000,  # no number that long (Python's own limit on reading it is no message)
    ],
)
def test_anything_but_two_or_three_numbers_is_not_an_edition_number(text):
    with pytest.raises(ValueError, match="not an edition number") as refused:
        Version.parse(text)
    assert len(str(refused.value)) < 200


def test_changelog_puts_the_newest_edition_first():
    text = add_entry("", Version.parse("1.0"), "2026-01-05", "First edition.", [])
    text = add_entry(text, Version.parse("1.1"), "2026-06-01", "Funding rules.", ["Funding", "Premises"])
    assert text.startswith("# Changelog\n")
    assert text.index("## 1.1 — 2026-06-01") < text.index("## 1.0 — 2026-01-05")
    assert "Funding rules.\n\nPages changed: Funding, Premises.\n" in text


def test_word_diff_marks_only_the_changed_words():
    assert word_diff("the centre opens in spring", "the centre opens in early autumn") == [
        ("equal", "the centre opens in "),
        ("delete", "spring"),
        ("insert", "early autumn"),
    ]


# The fixture's English pages as the site reads them; the tests only read the project.
read = page_reader(load_project(FIXTURE), "en")


def test_a_moved_link_or_a_new_heading_id_is_not_a_change_a_reader_sees():
    old = '---\ntitle: "Funding"\n---\n\n## Sources\n\nSee [the law](04-law.md).\n'
    new = '---\ntitle: "Funding"\n---\n\n## Sources {#sources}\n\nSee [the law](04-law.md#article-5).\n'
    assert compare_pages("05.md", old, new, read) is None


def test_a_changed_paragraph_is_shown_under_its_section():
    old = '---\ntitle: "Funding"\n---\n\nIntro.\n\n## Sources {#sources}\n\nThe **ERDF** pays.\n'
    new = '---\ntitle: "Funding"\n---\n\nIntro.\n\n## Sources {#sources}\n\nThe **ERDF** and the state pay.\n'
    change = compare_pages("05.md", old, new, read)
    assert change.status == "changed"
    (passage,) = change.passages
    assert passage.section == "Sources"
    assert passage.paragraphs == (
        (("equal", "The ERDF "), ("delete", "pays"), ("insert", "and the state pay"), ("equal", ".")),
    )


def test_each_row_of_a_table_is_compared_on_its_own():
    body = "| Term | Definition |\n|---|---|\n| centre | a building |\n| respite | a break |\n"
    assert reader_text(read("05.md", body)) == [
        ("| Term | Definition |", False),
        ("| centre | a building |", False),
        ("| respite | a break |", False),
    ]


def test_changes_are_read_as_the_site_renders_the_text_not_as_markdown_lines():
    """What the site shows is compared, whatever Markdown wrote it: a setext heading is a heading, a
    reference link its text, a part in another language its words, a footnote's number nothing."""
    old = (
        "Sources\n-------\n\nSee [the law][act] and *dienas centrs*{lang=lv}.[^1]\n\n"
        "[act]: 04-law.md\n\n[^1]: The act.\n"
    )
    new = "## Sources\n\nSee [the law](04-law.md#s2) and *dienas centrs*.[^a]\n\n[^a]: The act.\n"
    assert reader_text(read("05.md", old))[0] == ("Sources", True)
    assert compare_pages("05.md", old, new, read) is None
    changed = new.replace("The act.", "The amended act.")
    (passage,) = compare_pages("05.md", old, changed, read).passages
    assert passage.paragraphs == ((("equal", "The"), ("insert", " amended"), ("equal", " act.")),)


def test_a_nested_list_item_and_its_parent_are_separate_paragraphs():
    body = "- Rooms\n    - a hall\n    - a kitchen\n- Staff\n"
    assert [text for text, _ in reader_text(read("05.md", body))] == ["Rooms", "a hall", "a kitchen", "Staff"]


def test_a_changed_pages_title_reads_as_written_on_the_page():
    text = '---\ntitle: "Governance, registration (and *funding*)"\n---\n\nText.\n'
    change = compare_pages("10.md", None, text, read)
    words = {key: key for key in CHANGES_LABELS}
    page = markdown.markdown(render_markdown([change], words))
    assert '<a href="10.md">Governance, registration (and *funding*)</a>' in page


# --- a release, end to end -----------------------------------------------------------------------


def test_each_edition_is_a_tag_and_a_changelog_entry(released_repository):
    assert git(released_repository, "tag", "--list").split() == ["v1.0", "v1.1"]
    changelog = (released_repository / "CHANGELOG.md").read_text(encoding="utf-8")
    # released with SOURCE_DATE_EPOCH set (the fixture's moment, 2025-12-06): dated by it, not today
    assert re.search(
        r"## 1\.1 — 2025-12-06\n\nClarified the premises chapter\.\n\n"
        r"Pages changed: First steps \(lv\), Premises, Annex A — Glossary \(lv\)\.",
        changelog,
    )
    assert changelog.index("## 1.1") < changelog.index("## 1.0")
    # the tag points at the commit that recorded the edition in the changelog
    assert "CHANGELOG.md" in git(released_repository, "show", "--name-only", "--format=", "v1.1")
    assert git(released_repository, "log", "-1", "--format=%ct", "v1.1").strip() == FIXTURE_EPOCH
    assert git(released_repository, "status", "--porcelain") == ""


def test_every_edition_is_published_side_by_side_with_latest_and_dev(published):
    versions = {entry["version"]: entry for entry in json.loads((published / "versions.json").read_text())}
    assert set(versions) == {"1.0", "1.1", "dev"}
    assert versions["1.1"]["aliases"] == ["latest"]
    assert versions["1.0"]["aliases"] == []
    assert 'url=latest/"' in (published / "index.html").read_text()
    # a missing address anywhere gets the current edition's "page not found"
    assert 'href="/guidelines/1.1/"' in (published / "404.html").read_text()
    for version in ("1.0", "1.1", "dev"):
        for prefix in LANGUAGES.values():
            assert (published / version / prefix / "index.html").is_file()


def test_old_editions_keep_their_downloads_named_with_version_and_date(published, released_repository):
    for version in ("1.0", "1.1"):
        date = git(released_repository, "log", "-1", "--format=%cs", f"v{version}").strip()
        names = sorted(path.name for path in (published / version / "downloads").glob("guidelines-*"))
        editions = [
            f"guidelines-{language}-{version}-{date}.{extension}"
            for language in LANGUAGES
            for extension in ("pdf", "docx", "epub")
        ]
        # The fixture's form annex is published on its own too, named the same way.
        forms = [
            f"guidelines-{language}-annex-b-visit-checklist-{version}-{date}.{extension}"
            for language in LANGUAGES
            for extension in ("pdf", "docx")
        ]
        assert names == sorted(editions + forms)


@pytest.mark.parametrize(("version", "earlier"), [("1.0", []), ("1.1", ["1.0"]), ("dev", ["1.1", "1.0"])])
@pytest.mark.parametrize("prefix", LANGUAGES.values())
def test_the_download_page_links_the_earlier_editions_in_the_readers_language(
    published, version, earlier, prefix
):
    page = (published / version / prefix / "download" / "index.html").read_text(encoding="utf-8")
    listed = re.search(r'<p class="earlier-editions">.*?</p>', page)
    if not earlier:
        assert listed is None
        return
    links = re.findall(r'<a href="([^"]+)">([\d.]+)</a>', listed.group(0))
    assert [text for _, text in links] == earlier
    here = published / version / prefix / "download"
    for href, text in links:
        assert href.endswith(f"{text}/{prefix}")
        assert (here / href / "index.html").resolve().is_file()


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_the_pdf_title_page_carries_the_edition_and_its_date(published, released_repository, version):
    date = git(released_repository, "log", "-1", "--format=%cs", f"v{version}").strip()
    (pdf,) = (published / version / "downloads").glob(f"guidelines-lv-{version}-*.pdf")
    title_page = PdfReader(pdf).pages[0].extract_text()
    assert f"Izdevums {version}" in title_page and date in title_page


def article(published: Path, path: str) -> str:
    page = (published / path / "index.html").read_text(encoding="utf-8")
    return re.search(r"<article.*?</article>", page, re.S).group(0)


def test_what_changed_lists_exactly_the_edited_chapter_with_its_words(published):
    page = article(published, "1.1/changes")
    assert re.findall(r"<h2[^>]*><a href=\"([^\"]+)\">", page) == [
        "../" + EDITED_CHAPTER.removesuffix(".md") + "/"
    ]
    assert re.search(r"<ins>(<span[^>]*>[^<]*</span>)? ?usually ?<", page)
    assert "compared with edition 1.0" in page


def test_what_changed_lists_per_language_only_that_languages_changes(published):
    latvian = article(published, "1.1/lv/changes")
    assert re.findall(r"<h2[^>]*><a href=\"([^\"]+)\">", latvian) == [
        "../01-first-steps/",
        "../annex-a-glossary/",
    ]
    assert "Vēl viens teikums." in latvian
    # the glossary page shows the glossary file: its changed row, with the added words marked
    assert re.search(
        r"tuviniekiem <ins>(<span[^>]*>[^<]*</span>)?uz laiku ?(<span[^>]*>[^<]*</span>)?</ins>", latvian
    )
    assert "nė vienas puslapis nepakeistas" in article(published, "1.1/lt/changes")


def test_the_first_edition_has_nothing_to_compare_with(published):
    assert "no earlier edition to compare it with" in article(published, "1.0/changes")
    assert "pirmasis gairių leidimas" in article(published, "1.0/lt/changes")


def test_the_work_in_progress_compares_with_the_last_edition(published):
    assert "since edition 1.1" in article(published, "dev/changes")


# --- what a release refuses ----------------------------------------------------------------------


def test_releasing_an_existing_edition_again_is_refused_and_changes_nothing(released_repository):
    before = repository_state(released_repository)
    result = run_cli(released_repository, "release", "1.1", "--notes", "Again.")
    assert result.returncode == 5
    assert "refused: edition 1.1 exists (tag v1.1" in result.stderr
    assert "never changed" in result.stderr
    assert repository_state(released_repository) == before


def test_the_same_number_written_differently_is_the_same_edition(released_repository):
    result = run_cli(released_repository, "release", "1.1.0", "--notes", "Again.")
    assert result.returncode == 5
    assert "refused: edition 1.1 exists (tag v1.1" in result.stderr


def test_a_number_older_than_the_last_edition_is_refused(released_repository):
    before = repository_state(released_repository)
    result = run_cli(released_repository, "release", "1.0.5", "--notes", "Late fix.")
    assert result.returncode == 5
    assert "1.0.5 is not newer than 1.1" in result.stderr
    assert repository_state(released_repository) == before


def test_a_release_from_uncommitted_changes_is_refused(fixture_project):
    init_repository(fixture_project)
    chapter = fixture_project / "docs" / "en" / EDITED_CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    result = run_cli(fixture_project, "release", "1.0", "--notes", "First.")
    assert result.returncode == 5
    assert "uncommitted changes (docs/en/02-premises.md)" in result.stderr
    assert git(fixture_project, "tag", "--list") == ""
    assert not (fixture_project / "CHANGELOG.md").exists()


def test_a_release_that_fails_to_build_takes_back_its_changelog_entry(fixture_project):
    init_repository(fixture_project)
    chapter = fixture_project / "docs" / "en" / EDITED_CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[broken](nowhere.md)\n", encoding="utf-8")
    git(fixture_project, "commit", "--quiet", "--all", "--message", "A broken link")
    head = git(fixture_project, "rev-parse", "HEAD")
    result = run_cli(fixture_project, "release", "1.0", "--notes", "First.")
    assert result.returncode == 1
    assert "docs/en/02-premises.md:" in result.stderr and "LINK_MISSING" in result.stderr
    assert git(fixture_project, "rev-parse", "HEAD") == head
    assert git(fixture_project, "tag", "--list") == ""
    assert git(fixture_project, "status", "--porcelain") == ""
    assert git(fixture_project, "branch", "--list", "gh-pages") == ""


def test_a_checkout_of_a_release_tag_builds_that_editions_very_files(
    released_repository, published, tmp_path
):
    """Typeset again from nothing (a fresh clone has no edition cache), and built where the site is not
    published (the release built its pages under /1.0/, this build at the site's root): the editions'
    files do not depend on where their site is published. `guidelines build` runs in this process,
    whose EPUBCheck, if it checked the released repository's EPUBs, checks these too: one started in a
    process of its own costs 5 to 6 s of CPU."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(released_repository), str(clone)], check=True)
    git(clone, "checkout", "--quiet", "v1.0")
    result = run_command("build", "--quiet", "--project", str(clone))
    assert result.returncode == 0, result.stderr
    downloads = clone / "site" / "downloads"
    assert len(list(downloads.glob("guidelines-??-1.0-*.pdf"))) == 3  # not the forms
    # the very files published as edition 1.0: one set of edition files
    rebuilt = (downloads / "SHA256SUMS").read_text(encoding="utf-8")
    assert rebuilt == (published / "1.0" / "downloads" / "SHA256SUMS").read_text(encoding="utf-8")
    made = {path.name for path in downloads.iterdir()} - {"manifest.json", "SHA256SUMS"}
    assert {line.split("  ")[1] for line in rebuilt.splitlines()} == made
    # while the pages themselves do carry where they are published
    assert "https://example.org/guidelines/1.0/" in (published / "1.0" / "index.html").read_text("utf-8")
    assert "https://example.org/guidelines/1.0/" not in (clone / "site" / "index.html").read_text("utf-8")


def test_a_clone_without_the_published_branch_may_not_release_over_it(released_repository, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(released_repository), str(clone)], check=True)
    git(clone, "config", "user.name", "Test Editor")
    git(clone, "config", "user.email", "editor@example.org")
    result = run_cli(clone, "release", "1.2", "--notes", "Next.")
    assert result.returncode == 5
    assert "git fetch origin gh-pages:gh-pages" in result.stderr
    assert git(clone, "tag", "--list").split() == ["v1.0", "v1.1"]


def test_a_release_whose_built_download_is_damaged_publishes_nothing(release_cached_project, monkeypatch):
    import guidelines.release as releasing
    from guidelines.findings import ToolError

    fixture_project = release_cached_project
    real_build = releasing.build

    def build_then_lose_half_a_pdf(project, **options):
        result = real_build(project, **options)
        pdf = next((options["site_dir"] / "downloads").glob("*.pdf"))
        with pdf.open("r+b") as file:
            file.truncate(pdf.stat().st_size // 2)
        return result

    monkeypatch.setattr(releasing, "build", build_then_lose_half_a_pdf)
    head = git(fixture_project, "rev-parse", "HEAD")
    with pytest.raises(ToolError, match="is damaged"):
        releasing.release(load_project(fixture_project), "1.0", "First.")
    assert git(fixture_project, "rev-parse", "HEAD") == head
    assert git(fixture_project, "tag", "--list") == ""
    assert git(fixture_project, "branch", "--list", "gh-pages") == ""
    assert git(fixture_project, "status", "--porcelain") == ""
