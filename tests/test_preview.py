"""The preview (`guidelines serve`): after every save it rebuilds only the pages the save changed, and
the site it serves is the site a clean build makes; the writer sees the check findings of the file in
the page, and the download panel says the editions are not rebuilt. A published build has neither."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from guidelines.preview import PREVIEW_CLASS
from guidelines.project import load_project
from guidelines.site import RELOAD_SCRIPT_NAME, Preview, build_site

ADDRESS = "http://127.0.0.1:8000/guidelines/"


def start(project_dir: Path, address: str = ADDRESS) -> Preview:
    """A preview of the project, built into a new folder beside it (in the test's own, which pytest
    clears; `guidelines serve` deletes its folder when it stops)."""
    site_dir = Path(tempfile.mkdtemp(prefix="preview-", dir=project_dir.parent))
    preview = Preview(load_project(project_dir), site_dir, address)
    preview.start()
    return preview


def site_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name != RELOAD_SCRIPT_NAME
    }


def assert_same_site(served: Path, clean: Path, after: str = "the start") -> None:
    ours, theirs = site_files(served), site_files(clean)
    assert sorted(ours) == sorted(theirs)
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == [], f"after {after}, the preview differs from a clean build in {different[:10]}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.slow  # a clean build after each of eight saves
def test_after_every_save_the_preview_is_the_site_a_clean_build_makes(fixture_project: Path):
    docs = fixture_project / "docs"
    preview = start(fixture_project)
    saves = [
        ("a sentence in a Latvian chapter", lambda: append(docs / "lv/02-premises.md", "\nJauns teikums.\n")),
        (
            "a sentence in the English source",
            lambda: append(docs / "en/01-first-steps.md", "\nA new sentence.\n"),
        ),
        (
            "a chapter's title",
            lambda: edit(docs / "en/02-premises.md", 'title: "Premises"', 'title: "Rooms"'),
        ),
        (
            "the glossary",
            lambda: edit(docs / "glossary.yml", "lv: daudzfunkcionālais centrs", "lv: daudzfunkciju centrs"),
        ),
        ("a new page", lambda: (docs / "en/extra.md").write_text('---\ntitle: "Extra"\n---\n\nMore.\n')),
        (
            "a new translation",
            lambda: (docs / "lt/translation-status.md").write_text(
                (docs / "en/translation-status.md").read_text().replace("Translation status", "Vertimų būklė")
            ),
        ),
        ("a broken link", lambda: append(docs / "lv/01-first-steps.md", "\n[Saite](nav.md)\n")),
        ("a picture", lambda: append(docs / "lv/images/plan.svg", "\n<!-- redrawn -->\n")),
    ]
    for what, save in saves:
        save()
        rebuild = preview.rebuild()
        assert rebuild.changed, what
        clean = start(fixture_project, ADDRESS)
        assert_same_site(preview.site_dir, clean.site_dir, what)


def preview_elements(page: Path) -> list:
    return lxml.html.parse(str(page)).getroot().find_class(PREVIEW_CLASS)


def test_the_saved_page_shows_its_findings_to_the_writer_and_the_terminal_gets_them(fixture_project: Path):
    preview = start(fixture_project)
    chapter = fixture_project / "docs/lv/01-first-steps.md"
    append(chapter, "\n[Saite](nav-lapas.md)\n")
    rebuild = preview.rebuild()
    assert rebuild.changed == ["docs/lv/01-first-steps.md"]
    line = chapter.read_text(encoding="utf-8").split("\n").index("[Saite](nav-lapas.md)") + 1
    # The link names no page (LINK_MISSING), and the English source has no such link (PARITY_LINK).
    assert {(f.path, f.line, f.code) for f in rebuild.findings} == {
        ("docs/lv/01-first-steps.md", line, "LINK_MISSING"),
        ("docs/lv/01-first-steps.md", line, "PARITY_LINK"),
    }
    (banner,) = preview_elements(preview.site_dir / "lv/01-first-steps/index.html")
    assert f"docs/lv/01-first-steps.md:{line}" in banner.text_content()
    assert "LINK_MISSING" in banner.text_content()
    assert "pārbaudes" in banner.text_content()  # in the writer's language
    assert preview_elements(preview.site_dir / "01-first-steps/index.html") == []


def test_before_any_build_the_download_panel_says_the_preview_does_not_make_the_editions(
    fixture_project: Path,
):
    preview = start(fixture_project)
    for page, words in (
        ("download", "not made"),
        ("lv/download", "netiek veidoti"),
        ("lt/download", "nekuriami"),
    ):
        (note,) = preview_elements(preview.site_dir / page / "index.html")
        assert words in note.text_content()


@pytest.mark.parametrize(
    ("page", "words"),
    [("download", "not rebuilt"), ("lv/download", "netiek veidoti no jauna"), ("lt/download", "iš naujo")],
)
def test_after_a_build_the_download_panel_says_its_editions_are_the_last_builds(
    built_fixture: Path, tmp_path: Path, page: str, words: str
):
    project = tmp_path / "project"
    shutil.copytree(built_fixture, project)
    preview = start(project)
    served = lxml.html.parse(str(preview.site_dir / page / "index.html")).getroot()
    (note,) = served.find_class(PREVIEW_CLASS)
    assert words in note.text_content()
    assert served.find_class("downloads")  # the last build's editions are listed


def test_a_published_build_has_nothing_of_the_preview(built_fixture: Path):
    pages = sorted((built_fixture / "site").rglob("*.html"))
    assert pages
    assert [page for page in pages if preview_elements(page)] == []
    assert not list((built_fixture / "site").rglob(RELOAD_SCRIPT_NAME))


@pytest.mark.slow  # two builds of the site
def test_the_preview_without_its_additions_is_the_site_mkdocs_builds(fixture_project: Path, tmp_path: Path):
    project = load_project(fixture_project)
    preview = start(fixture_project, project.site_url)
    published = tmp_path / "published"
    build_site(project, published, None)
    for page in sorted(published.rglob("*.html")):
        ours = preview.site_dir / page.relative_to(published)
        tree = lxml.html.parse(str(ours)).getroot()
        for element in tree.find_class(PREVIEW_CLASS):
            element.drop_tree()
        theirs = lxml.html.parse(str(page)).getroot()
        assert lxml.html.tostring(tree) == lxml.html.tostring(theirs), page.relative_to(published)


@pytest.mark.slow  # a build of the site in a server process
def test_serve_prints_the_address_where_every_language_of_the_preview_opens(fixture_project: Path):
    """The preview is served under the site's path (`site_url`'s /guidelines/): the writer is told the
    address, and the Latvian pages open under it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["serve", "--project", str(fixture_project), "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [sys.executable, "-m", "guidelines", *command],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = ""
        while "open " not in said and (line := server.stderr.readline()):
            said += line
        address = said.split("open ")[1].split()[0]
        assert address == f"http://127.0.0.1:{port}/guidelines/"
        with urllib.request.urlopen(address + "lv/", timeout=30) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
