"""The editions cache never hands a damaged file to a build: entries appear whole and prove themselves."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import edition_file

from guidelines.build import CACHE_DIR, build
from guidelines.editions.cache import EditionCache, fault
from guidelines.findings import FindingsError
from guidelines.project import load_project
from guidelines.versions import preview_folder


def _sums(site: Path) -> dict[str, str]:
    lines = (site / "downloads" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: sha for sha, name in (line.split("  ") for line in lines)}


def test_a_truncated_cached_pdf_is_made_again_and_the_warning_names_it(built_project):
    project = load_project(built_project)
    cache = built_project / CACHE_DIR
    published = _sums(built_project / "site")
    entry = sorted(cache.glob("*.pdf"))[0]
    sha = (cache / f"{entry.name}.sha256").read_text(encoding="ascii").strip()
    (name,) = [file for file, recorded in published.items() if recorded == sha]
    with entry.open("r+b") as file:  # what a full disk or a kill during the copy leaves
        file.truncate(entry.stat().st_size // 2)

    result = build(project)

    warnings = [finding for finding in result.warnings if finding.code == "EDITION_CACHE"]
    assert [finding.path for finding in warnings] == [project.display(entry)]
    assert "SHA-256 differs" in warnings[0].message
    pdf = built_project / "site" / "downloads" / name
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == sha == _sums(built_project / "site")[name]
    with pikepdf.open(pdf) as document:
        assert len(document.pages) > 0
    assert hashlib.sha256(entry.read_bytes()).hexdigest() == sha  # the entry is whole again


@pytest.fixture
def a_pdf(built_fixture: Path) -> Path:
    return edition_file(built_fixture / "site", "en", "pdf")


def test_an_entry_is_reused_only_with_its_checksum_and_when_it_opens(tmp_path, a_pdf):
    cache = EditionCache(tmp_path / "cache")
    cache.store("k", "pdf", a_pdf)
    assert cache.check("k", "pdf") == ""
    assert cache.check("other", "pdf") is None  # no entry: nothing to say

    (tmp_path / "cache" / "k.pdf.sha256").unlink()
    assert cache.check("k", "pdf") == "no checksum was recorded for it"
    assert not cache.entry("k", "pdf").exists()  # removed, so it is made and cached again

    # The right checksum of a file that is not a PDF: it must also open as one.
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.7\nnot really\n")
    cache.store("k", "pdf", fake)
    assert cache.check("k", "pdf").startswith("it does not open")
    assert fault(a_pdf, "docx", hashlib.sha256(a_pdf.read_bytes()).hexdigest()).startswith("it does not open")


def test_a_copy_into_the_cache_that_fails_leaves_no_entry(tmp_path, a_pdf, monkeypatch):
    cache = EditionCache(tmp_path / "cache")

    def disk_full(source, target):
        Path(target).write_bytes(Path(source).read_bytes()[:1000])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(OSError):
        cache.store("k", "pdf", a_pdf)
    assert not cache.entry("k", "pdf").exists()
    assert [path.name for path in (tmp_path / "cache").iterdir()] == ["k.pdf.sha256"]
    assert cache.check("k", "pdf") is None


def _entry_name(number: int, fmt: str) -> str:
    return f"{number:064x}.{fmt}"


def test_pruning_keeps_the_entries_named_and_removes_the_rest_with_their_records(tmp_path):
    cache = EditionCache(tmp_path / "cache")
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF- a file of 27 bytes\n")
    for number in (1, 2, 3):
        cache.store(f"{number:064x}", "pdf", made)
    (tmp_path / "cache" / f".{_entry_name(4, 'docx')}.k2j4h1.part").write_bytes(b"half a copy")
    (tmp_path / "cache" / "README").write_text("an editor's note\n", encoding="utf-8")

    pruned = cache.prune({_entry_name(2, "pdf")})

    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [
        ".lock",
        _entry_name(2, "pdf"),
        f"{_entry_name(2, 'pdf')}.sha256",
        "README",  # not the cache's: left alone
    ]
    assert pruned.removed == 5  # two entries, their records and the copy a kill left half made
    assert pruned.before == 3 * (25 + 65) + 11 and pruned.after == 25 + 65
    assert cache.check(f"{2:064x}", "pdf") is not None  # the kept entry is whole: it is checked


def test_no_entry_is_pruned_while_another_command_reads_the_cache(tmp_path):
    cache = EditionCache(tmp_path / "cache")
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF- a file\n")
    cache.store(f"{1:064x}", "pdf", made)

    with EditionCache(tmp_path / "cache").in_use():  # e.g. `guidelines review` counting the pages
        assert cache.prune(set()) is None
        assert cache.entry(f"{1:064x}", "pdf").is_file()

    assert cache.prune(set()).removed == 2
    assert not cache.entry(f"{1:064x}", "pdf").exists()


@pytest.mark.slow  # typesets the English editions twice
def test_a_successful_build_keeps_only_the_entries_its_editions_are_made_from(cached_project):
    fixture_project = cached_project  # its cache: the fixture's editions, as its first build would make them
    cache = fixture_project / CACHE_DIR

    def entries() -> dict[str, str]:  # the SHA-256 each entry's record holds, by the entry's name
        return {
            path.name: (cache / f"{path.name}.sha256").read_text(encoding="ascii").strip()
            for path in cache.iterdir()
            if path.suffix in {".pdf", ".docx", ".epub"}
        }

    build(load_project(fixture_project))
    first = entries()
    assert len(first) == 15  # 3 languages: PDF, DOCX, EPUB and the form's PDF and DOCX
    chapter = fixture_project / "docs" / "en" / "02-premises.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")

    build(load_project(fixture_project))

    second = entries()
    published = set(_sums(fixture_project / "site").values())
    assert set(second.values()) == published and len(second) == 15  # exactly what the site offers
    assert len(set(first) - set(second)) == 3  # the English PDF, DOCX and EPUB of the old text
    assert not list(cache.glob("*.part"))

    # A pull request's preview prunes nothing: its review counts the pages of the base's editions.
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA preview's sentence.\n", encoding="utf-8")
    build(load_project(fixture_project), published_as=preview_folder(7))
    assert set(second) < set(entries())

    # A build that fails prunes nothing: the entries of the good text are there for the next build.
    (fixture_project / "docs/lv/images/broken.png").write_bytes(b"not a picture")
    page = fixture_project / "docs/lv/02-premises.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![Bojāts attēls](images/broken.png)\n", "utf-8")
    with pytest.raises(FindingsError):
        build(load_project(fixture_project))
    assert set(second) <= set(entries())
