"""A synthetic guidelines project at N times the size of the real one, for measuring how the build scales.

Every chapter and annex of the real project (in every language) is written N times under new file
names (`06-planning-a-centre-03.md`, `annex-c-accessibility-audit-03.md`). Each copy keeps what makes
a chapter costly to build: admonitions, footnotes, tables, lists, images and links to other chapters.
It is varied so that no two copies are the same text:

- every heading id gets the copy's suffix (`{#legal-fit-03}`), so ids are unique in the whole project;
- links to other chapters and to anchors point at the same copy's chapters and ids;
- every image is a copy of its own (`images/centre-floor-plan-03.svg`);
- the title says which copy it is, and the `##` sections are rotated by the copy's number.

The home page, the download page and the glossary data are kept once, as in the real project.

    python bench/corpus.py OUT --scale 10 [--source .]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from guidelines.content import HEADING, LINK, code_mask, heading_id, split_front_matter
from guidelines.project import CONFIG_FILE, GLOSSARY_FILE, load_project

IMAGES = "images"
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)


def copy_name(name: str, copy: int) -> str:
    return f"{name.removesuffix('.md')}-{copy:02d}.md"


def image_name(target: str, copy: int) -> str:
    stem, dot, suffix = target.rpartition(".")
    return f"{stem}-{copy:02d}{dot}{suffix}"


def _rewrite_link(match: re.Match, copy: int, repeated: set[str]) -> str:
    bang, text, target = match.group(1), match.group(2), match.group(3)
    if EXTERNAL.match(target):
        return match.group(0)
    if bang:
        return f"![{text}]({image_name(target, copy)})"
    file, hash_, anchor = target.partition("#")
    if file and file not in repeated:
        return match.group(0)  # the home page or the download page, which exist once
    new_file = copy_name(file, copy) if file else ""
    new_anchor = f"#{anchor}-{copy:02d}" if hash_ and anchor else ""
    return f"[{text}]({new_file}{new_anchor})"


def _rewrite_line(line: str, copy: int, repeated: set[str]) -> str:
    if heading := HEADING.match(line):
        visible, identifier, explicit = heading_id(heading.group(2))
        if explicit:
            line = f"{heading.group(1)} {visible} {{#{identifier}-{copy:02d}}}"
    return LINK.sub(lambda match: _rewrite_link(match, copy, repeated), line)


def _rotate_sections(lines: list[str], steps: int) -> list[str]:
    """Move the first `steps` `##` sections to the end; the introduction and footnote texts stay put."""
    in_code = code_mask(lines)
    notes_start, index = len(lines), len(lines)
    # The footnote texts: the trailing run of definitions (with their indented continuations).
    while index > 0 and (
        not lines[index - 1].strip()
        or FOOTNOTE_DEFINITION.match(lines[index - 1])
        or lines[index - 1].startswith("    ")
    ):
        index -= 1
        if FOOTNOTE_DEFINITION.match(lines[index]):
            notes_start = index
    starts = [i for i in range(notes_start) if not in_code[i] and lines[i].startswith("## ")]
    if len(starts) < 2:
        return lines
    bounds = [*starts, notes_start]
    sections = [lines[bounds[i] : bounds[i + 1]] for i in range(len(starts))]
    steps %= len(sections)
    body: list[str] = []
    for section in sections[steps:] + sections[:steps]:
        while section and not section[-1].strip():
            section = section[:-1]
        body += [*section, ""]
    return lines[: starts[0]] + body + lines[notes_start:]


def vary_page(text: str, copy: int, repeated: set[str]) -> str:
    """One copy of a chapter: new ids, links and images for the copy, a numbered title, rotated sections."""
    front, body, _, _ = split_front_matter(text, "")
    lines = body.split("\n")
    in_code = code_mask(lines)
    lines = [line if in_code[i] else _rewrite_line(line, copy, repeated) for i, line in enumerate(lines)]
    lines = _rotate_sections(lines, copy - 1)
    title = str(front.get("title", "")).replace('"', '\\"')
    head = text[: len(text) - len(body)] if text.startswith("---\n") else ""
    head = re.sub(r"(?m)^title:.*$", lambda _: f'title: "{title} ({copy})"', head, count=1)
    return head + "\n".join(lines)


def _nav_yaml(project, repeated_by_section: dict[str, list[str]], scale: int) -> str:
    lines = ["nav:"]
    seen_sections: list[str] = []
    for entry in project.nav:
        if entry.section is None:
            lines.append(f"  - {entry.file}")
            continue
        if entry.section in seen_sections:
            continue
        seen_sections.append(entry.section)
        lines.append(f"  - {entry.section}:")
        for copy in range(1, scale + 1):
            lines.extend(f"      - {copy_name(name, copy)}" for name in repeated_by_section[entry.section])
    return "\n".join(lines) + "\n"


def write_corpus(source_root: Path, out: Path, scale: int) -> dict[str, int]:
    """Write the synthetic project into `out` (emptied first); return its word count per language."""
    project = load_project(source_root)
    if out.exists():
        shutil.rmtree(out)
    docs = out / project.docs_dir.name
    docs.mkdir(parents=True)
    once = {"index.md", *project.edition_excludes} & {entry.file for entry in project.nav}
    repeated_by_section: dict[str, list[str]] = {}
    for entry in project.nav:
        if entry.file not in once:
            repeated_by_section.setdefault(entry.section or "", []).append(entry.file)
    repeated = {name for names in repeated_by_section.values() for name in names}
    words: dict[str, int] = {}
    for language in project.languages:
        source_dir, target_dir = project.language_dir(language), docs / language.code
        (target_dir / IMAGES).mkdir(parents=True)
        count = 0
        for path in sorted(source_dir.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            if path.name not in repeated:
                if path.name in once:
                    # The home page's chapter list points at the first copy of every chapter.
                    text = LINK.sub(lambda match: _rewrite_link(match, 1, repeated), text)
                (target_dir / path.name).write_text(text, encoding="utf-8")
                count += len(text.split())
                continue
            for copy in range(1, scale + 1):
                varied = vary_page(text, copy, repeated)
                (target_dir / copy_name(path.name, copy)).write_text(varied, encoding="utf-8")
                count += len(varied.split())
        for image in sorted((source_dir / IMAGES).glob("*")):
            for copy in range(1, scale + 1):
                shutil.copyfile(image, target_dir / IMAGES / image_name(image.name, copy))
        words[language.code] = count
    shutil.copyfile(project.glossary_path, docs / GLOSSARY_FILE)
    config = project.config_path.read_text(encoding="utf-8")
    head, _, _ = config.partition("\nnav:\n")
    nav = _nav_yaml(project, repeated_by_section, scale)
    (out / CONFIG_FILE).write_text(head + "\n" + nav, encoding="utf-8")
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write the project into (emptied first)")
    parser.add_argument("--scale", type=int, default=1, help="how many copies of every chapter")
    parser.add_argument("--source", type=Path, default=Path("."), help="the real project (with mkdocs.yml)")
    args = parser.parse_args()
    words = write_corpus(args.source, args.out, args.scale)
    print(", ".join(f"{code}: {count} words" for code, count in words.items()))


if __name__ == "__main__":
    main()
