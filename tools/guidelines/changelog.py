"""CHANGELOG.md: one entry per released edition, newest first, written by `guidelines release`."""

from __future__ import annotations

from guidelines.versions import Version

CHANGELOG = "CHANGELOG.md"
HEADER = """# Changelog

Every released edition of the guidelines, newest first. Each edition is a git tag (`v1.0`, …) and
stays readable on the website under its number, with its PDF, DOCX and EPUB downloads. The website's
"What changed" page of each edition shows the changes word by word, in every language.
"""


def add_entry(text: str, version: Version, date: str, notes: str, changed_pages: list[str]) -> str:
    """The changelog with the edition's entry above the earlier ones (the file is created if empty)."""
    lines = [f"## {version} — {date}", "", notes.strip(), ""]
    if changed_pages:
        lines += ["Pages changed: " + ", ".join(changed_pages) + ".", ""]
    entry = "\n".join(lines)
    if not text.strip():
        return f"{HEADER}\n{entry}"
    head, marker, rest = text.partition("\n## ")
    if not marker:  # a header without entries yet
        return f"{text.rstrip()}\n\n{entry}"
    return f"{head.rstrip()}\n\n{entry}\n## {rest}"
