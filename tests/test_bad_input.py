"""Bad input stops the build with `path:line: CODE message`, a non-zero exit, and the old site intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_command

from guidelines.build import build
from guidelines.findings import FindingsError
from guidelines.project import load_project


def findings_of(root: Path) -> list[str]:
    with pytest.raises(FindingsError) as error:
        build(load_project(root))
    return [finding.format() for finding in error.value.findings]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_chapter_file_is_reported_at_its_nav_line(fixture_project):
    (fixture_project / "docs/en/02-premises.md").unlink()
    messages = findings_of(fixture_project)
    assert any(m.startswith("mkdocs.yml:") and "NAV_MISSING" in m and "02-premises.md" in m for m in messages)


def test_broken_front_matter_names_file_and_line(fixture_project):
    edit(fixture_project / "docs/lv/02-premises.md", 'title: "Telpas"', "title: [Telpas")
    messages = findings_of(fixture_project)
    assert any(m.startswith("docs/lv/02-premises.md:") and "FRONT_MATTER" in m for m in messages)


def test_link_to_missing_chapter(fixture_project):
    edit(fixture_project / "docs/en/01-first-steps.md", "(02-premises.md)", "(09-nowhere.md)")
    messages = findings_of(fixture_project)
    assert any(m.startswith("docs/en/01-first-steps.md:10: LINK_MISSING") for m in messages), messages


def test_link_to_missing_anchor(fixture_project):
    edit(fixture_project / "docs/lt/01-first-steps.md", "#choosing-a-building", "#no-such-part")
    messages = findings_of(fixture_project)
    assert any(
        m.startswith("docs/lt/01-first-steps.md:9: LINK_ANCHOR") and "no-such-part" in m for m in messages
    )


def test_missing_image(fixture_project):
    (fixture_project / "docs/lv/images/plan.svg").unlink()
    messages = findings_of(fixture_project)
    assert any(m.startswith("docs/lv/02-premises.md:16: IMAGE_MISSING") for m in messages), messages


def test_image_without_alt_text(fixture_project):
    edit(
        fixture_project / "docs/en/02-premises.md",
        "![A floor plan with a ramp at the entrance and an accessible toilet]",
        "![]",
    )
    messages = findings_of(fixture_project)
    assert any(m.startswith("docs/en/02-premises.md:16: IMAGE_ALT") for m in messages)


def test_failed_build_leaves_the_previous_site_as_it_was(built_project):
    site = built_project / "site"
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    marker = (site / "index.html").read_bytes()
    edit(built_project / "docs/en/01-first-steps.md", "(02-premises.md)", "(09-nowhere.md)")
    findings_of(built_project)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert (site / "index.html").read_bytes() == marker
    assert not list(built_project.glob(".site-*"))


def test_cli_prints_findings_and_exits_1_without_a_traceback(fixture_project):
    edit(fixture_project / "docs/en/01-first-steps.md", "(02-premises.md)", "(09-nowhere.md)")
    result = run_command("build", "-C", str(fixture_project))
    assert result.returncode == 1
    assert "docs/en/01-first-steps.md:10: LINK_MISSING" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (fixture_project / "site").exists()


def test_every_edition_that_fails_is_named_at_its_line_in_one_run(cached_project):
    # A picture the checks accept (a .png file that is there) but the engines cannot read, in two
    # languages: both PDFs fail, each named at the picture's line, with no path of this machine.
    # (The English editions, unchanged, come from the cache.)
    for language in ("lv", "lt"):
        (cached_project / f"docs/{language}/images/broken.png").write_bytes(b"not a picture")
        page = cached_project / f"docs/{language}/02-premises.md"
        lines = page.read_text(encoding="utf-8").split("\n")
        lines.insert(6, "![Bojāts attēls](images/broken.png)\n")
        page.write_text("\n".join(lines), encoding="utf-8")
    messages = findings_of(cached_project)
    for language in ("lv", "lt"):
        assert any(
            m.startswith(f"docs/{language}/02-premises.md:7: EDITION the {language} PDF could not be made: ")
            and "decode image" in m
            for m in messages
        ), messages
    assert not any(str(cached_project) in m or "/tmp" in m or "site-packages" in m for m in messages)


def test_an_engines_message_keeps_no_path_of_this_machine():
    from guidelines.editions import without_machine_paths

    root = Path("/home/editor/guidelines")
    message = (
        "/home/editor/guidelines/docs/lv/images/a.png: cannot read; "
        "/usr/lib/python3/site-packages/pypandoc/files/pandoc: error in /tmp/tmpab12/metadata.json"
    )
    assert without_machine_paths(message, root) == (
        "docs/lv/images/a.png: cannot read; pandoc: error in metadata.json"
    )


def config_findings(root: Path) -> list[str]:
    with pytest.raises(FindingsError) as error:
        load_project(root)
    return [finding.format() for finding in error.value.findings]


def line_of(root: Path, text: str) -> int:
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_a_settings_error_names_the_line_of_its_own_key(fixture_project):
    # `extra.version` (Material's selector) comes first in the file; the toolkit's version is the plugin's.
    edit(fixture_project / "mkdocs.yml", 'version: "0.9"', 'version: ""')
    (message,) = config_findings(fixture_project)
    line = line_of(fixture_project, 'version: ""')
    assert message.startswith(f"mkdocs.yml:{line}: CONFIG 'plugins.guidelines.version': is required")


def test_each_page_of_the_navigation_is_named_at_its_own_line(fixture_project):
    entries = {entry.file: entry.line for entry in load_project(fixture_project).nav}
    for name in ("index.md", "download.md", "changes.md", "annex-a-glossary.md"):
        assert entries[name] == line_of(fixture_project, f"- {name}")


def test_a_language_written_as_a_plain_string_is_a_settings_error_not_a_crash(fixture_project):
    edit(fixture_project / "mkdocs.yml", "        - locale: lt\n", "        - lt\n        - locale: lt\n")
    messages = config_findings(fixture_project)
    assert any(
        f"mkdocs.yml:{line_of(fixture_project, 'languages:')}: CONFIG" in m and "'lt'" in m for m in messages
    )


def test_mkdocs_relative_tag_is_accepted_and_version_must_be_quoted(fixture_project):
    edit(
        fixture_project / "mkdocs.yml",
        "  - pymdownx.magiclink\n",
        "  - pymdownx.magiclink\n  - pymdownx.snippets:\n      base_path: !relative $config_dir\n",
    )
    assert load_project(fixture_project).version == "0.9"
    edit(fixture_project / "mkdocs.yml", 'version: "0.9"', "version: 1.10")
    (message,) = config_findings(fixture_project)
    assert "'plugins.guidelines.version': is required, in quotes" in message


@pytest.mark.parametrize(
    ("make", "said"), [("folder", "is a folder, not a file"), ("pipe", "is not a plain file")]
)
def test_a_chapter_in_the_navigation_that_is_no_file_says_what_it_is(fixture_project, make, said):
    import os

    from guidelines.content import load_content

    chapter = fixture_project / "docs/en/02-premises.md"
    chapter.unlink()
    chapter.mkdir() if make == "folder" else os.mkfifo(chapter)  # a pipe would block a reader for ever
    _, findings = load_content(load_project(fixture_project))
    (missing,) = [finding for finding in findings if finding.code == "NAV_MISSING"]
    assert missing.message == f"the navigation lists '02-premises.md' but docs/en/02-premises.md {said}"


@pytest.mark.parametrize(("ends", "said"), [("\r\n", "Windows (CRLF)"), ("\r", "old Mac (CR)")])
def test_line_ends_are_named_as_they_are(tmp_path, ends, said):
    from guidelines.content import read_text

    page = tmp_path / "page.md"
    page.write_bytes(f"---{ends}title: Page{ends}---{ends}Text.{ends}".encode())
    text, findings = read_text(page, "page.md")
    assert text == "---\ntitle: Page\n---\nText.\n"
    assert [(finding.line, finding.code, finding.message) for finding in findings] == [
        (1, "LINE_ENDS", f"the file has {said} line ends")
    ]


def test_a_docs_folder_linked_from_outside_the_project_is_refused_not_a_crash(fixture_project, tmp_path):
    from guidelines.content import load_content

    outside = tmp_path / "elsewhere"
    (fixture_project / "docs").rename(outside)
    (fixture_project / "docs").symlink_to(outside)
    _, findings = load_content(load_project(fixture_project))
    assert [finding.format() for finding in findings if finding.code == "FILE_OUTSIDE"] == [
        f"docs: FILE_OUTSIDE the docs folder is a link to '{outside}', outside the project folder "
        "(hint: move the folder itself into the project folder, in place of the link)"
    ]
    with pytest.raises(FindingsError):  # before any edition looks for its pictures outside
        build(load_project(fixture_project))
