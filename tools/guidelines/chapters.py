"""`guidelines new-chapter`: a new chapter (or annex) in every language, listed in the navigation."""

from __future__ import annotations

import re
import string
from pathlib import Path

from markdown.extensions.toc import slugify

from guidelines.findings import Finding, FindingsError
from guidelines.project import Project

CHAPTER = re.compile(r"^(\s*-\s+)(\d+)-[\w-]+\.md\s*$")
ANNEX = re.compile(r"^(\s*-\s+)annex-([a-z])-[\w-]+\.md\s*$")

STUB = """---
title: {title}
---

{intro}

## {section} {{#{section_id}}}

{text}
"""
# What a new page says until someone writes it, per language (the source language's words otherwise).
PLACEHOLDERS = {
    "en": (
        "One or two sentences on what this chapter is for and who should read it.",
        "First section",
        "Write the section here.",
    ),
    "lv": (
        "Viens vai divi teikumi par to, kam šī nodaļa paredzēta un kam tā jāizlasa.",
        "Pirmā sadaļa",
        "Šeit uzrakstiet sadaļas tekstu.",
    ),
    "lt": (
        "Vienas ar du sakiniai apie tai, kam skirtas šis skyrius ir kas turėtų jį perskaityti.",
        "Pirmasis skirsnis",
        "Čia parašykite skirsnio tekstą.",
    ),
}


def new_chapter(project: Project, title: str, *, annex: bool = False) -> tuple[str, list[Path]]:
    """Create the page in every language folder and add it to `nav`; returns (file name, files written)."""
    config = project.nav_file  # the settings file that lists the navigation, perhaps an inherited one
    lines = config.read_text(encoding="utf-8").split("\n")
    pattern = ANNEX if annex else CHAPTER
    matches = [(index, match) for index, line in enumerate(lines) if (match := pattern.match(line))]
    if not matches:
        kind = "annexes (annex-a-….md)" if annex else "numbered chapters (01-….md)"
        raise FindingsError(
            [Finding(project.display(config), 0, "CONFIG", f"the navigation lists no {kind} to follow")]
        )
    last_index, last = matches[-1]
    slug = slugify(title, "-") or "chapter"
    if annex:
        letter = string.ascii_lowercase[string.ascii_lowercase.index(last.group(2)) + 1]
        name = f"annex-{letter}-{slug}.md"
        title = f"Annex {letter.upper()} — {title}"
    else:
        name = f"{int(last.group(2)) + 1:02d}-{slug}.md"
    written = []
    for language in project.languages:
        path = project.language_dir(language) / name
        if path.exists():
            raise FindingsError([Finding(project.display(path), 0, "NEW_CHAPTER", "the file exists already")])
    source = project.source_language.code
    for language in project.languages:
        intro, section, text = PLACEHOLDERS.get(language.code, PLACEHOLDERS[source])
        path = project.language_dir(language) / name
        path.write_text(
            STUB.format(
                title=_quoted(title), intro=intro, section=section, section_id="first-section", text=text
            ),
            encoding="utf-8",
        )
        written.append(path)
    lines.insert(last_index + 1, f"{last.group(1)}{name}")
    config.write_text("\n".join(lines), encoding="utf-8")
    return name, written


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
