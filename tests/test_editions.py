"""Editions fit to publish: EPUB structure, reproducible bytes."""

from __future__ import annotations

import re
import zipfile

import pytest

from guidelines.build import build
from guidelines.project import load_project

TAGS = {"en": "en-GB", "lv": "lv-LV", "lt": "lt-LT"}


@pytest.mark.parametrize("language", TAGS)
def test_epub_has_language_navigation_and_alt_text(built_fixture, language):
    path = built_fixture / "site" / "downloads" / f"guidelines-{language}-0.9.epub"
    with zipfile.ZipFile(path) as epub:
        names = epub.namelist()
        assert names[0] == "mimetype" and epub.read("mimetype") == b"application/epub+zip"
        opf = epub.read(next(n for n in names if n.endswith(".opf"))).decode()
        assert f"<dc:language>{TAGS[language]}</dc:language>" in opf
        assert 'version="3.0"' in opf
        assert any(n.endswith("nav.xhtml") for n in names)
        pages = "".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
    images = re.findall(r"<img [^>]*>", pages)
    assert images and all(re.search(r'alt="[^"]{10,}"', image) for image in images)


def test_two_builds_of_the_same_text_are_byte_identical(fixture_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = load_project(fixture_project)
    build(project, use_cache=False)
    downloads = fixture_project / "site" / "downloads"
    first = {path.name: path.read_bytes() for path in downloads.iterdir()}
    build(project, use_cache=False)
    second = {path.name: path.read_bytes() for path in downloads.iterdir()}
    assert first.keys() == second.keys() and len(first) == 11
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds"


def test_no_absolute_path_of_the_machine_ends_up_in_an_edition(fixture_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(load_project(fixture_project), use_cache=False)
    needle = str(fixture_project).encode()
    for path in (fixture_project / "site" / "downloads").iterdir():
        data = path.read_bytes()
        if path.suffix in {".docx", ".epub"}:
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        assert needle not in data, path.name
