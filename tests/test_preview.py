"""The preview (`guidelines serve`): after every save it rebuilds only the pages the save changed, and
the site it serves is the site a clean build makes; the writer sees the check findings of the file in
the page, and the download panel says the editions are not rebuilt. A published build has neither."""

from __future__ import annotations

import tempfile
from pathlib import Path

import lxml.html
import pytest

from guidelines.preview import PREVIEW_CLASS
from guidelines.project import load_project
from guidelines.site import RELOAD_SCRIPT_NAME, Preview, build_site

ADDRESS = "http://127.0.0.1:8000/guidelines/"


def start(project_dir: Path, address: str = ADDRESS) -> Preview:
    preview = Preview(load_project(project_dir), Path(tempfile.mkdtemp(prefix="preview-test-")), address)
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
    ]
    for what, save in saves:
        save()
        rebuild = preview.rebuild()
        assert rebuild.changed, what
        clean = start(fixture_project, ADDRESS)
        assert_same_site(preview.site_dir, clean.site_dir, what)
