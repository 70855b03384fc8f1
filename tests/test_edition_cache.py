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
from guidelines.project import load_project


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
