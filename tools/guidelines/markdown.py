"""MkDocs-flavoured Markdown to pandoc Markdown, so one text feeds the site and the editions.

What pandoc reads differently from MkDocs, and how each is carried over:
- `!!! kind "Title"` boxes become fenced divs `.admonition .kind` with an `.admonition-title` div;
- footnote labels are made unique per chapter (`[^1]` in two chapters would clash in one document);
- heading ids, links between chapters and links to anchors are namespaced by chapter, because the
  edition is one document; links to pages outside the edition point at the website;
- image paths are rewritten for the output format (see `ConversionContext.image_path`);
- the glossary marker becomes the glossary table, the downloads marker disappears.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from guidelines.checks.links import resolve
from guidelines.content import ADMONITION, HEADING, InlineLink, Page, code_mask, heading_id, replace_links
from guidelines.glossary import MARKER as GLOSSARY_MARKER

DOWNLOADS_MARKER = "[[downloads]]"
FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
# A title from the front matter is plain text: every punctuation mark is escaped on its heading line.
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def chapter_id(page_name: str) -> str:
    return "ch-" + page_name.removesuffix(".md").replace("/", "-")


def section_id(page_name: str, anchor: str) -> str:
    return f"{chapter_id(page_name)}--{anchor}"


@dataclass
class ConversionContext:
    """What converting one page needs to know about the rest of the edition."""

    edition_pages: set[str]  # file names in the edition: links to them stay inside the document
    page_url: Callable[
        [str, str], str
    ]  # (file name, anchor) -> website address, for pages outside the edition
    image_path: Callable[[Page, str], str]  # (page, src as written) -> path pandoc/Typst can load
    glossary_table: Callable[[], str]


def is_annex(page: Page) -> bool:
    """Annexes are the pages whose file name starts with "annex"; the PDF numbers them A, B, …"""
    return page.name.startswith("annex")


def convert_page(page: Page, context: ConversionContext) -> str:
    """One page as a chapter of the pandoc document, its title as the level-1 heading."""
    # An annex's title carries its letter ("Annex A — …"); the PDF numbers only its sections (A.1).
    classes = " .annex .unnumbered" if is_annex(page) else ""
    title = MARKDOWN_PUNCTUATION.sub(r"\\\1", page.title)
    header = f"# {title} {{#{chapter_id(page.name)}{classes}}}\n\n"
    return header + convert_body(page, page.body, context) + "\n"


def convert_body(page: Page, body: str, context: ConversionContext) -> str:
    lines = body.split("\n")
    in_code = code_mask(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if in_code[index]:
            out.append(line)
            index += 1
        elif admonition := ADMONITION.match(line):
            kind, title = admonition.group(2), admonition.group(3)
            block, index = _indented_block(lines, index + 1)
            out.extend(_admonition(page, kind, title, block, context))
        else:
            out.append(_convert_line(page, line, context))
            index += 1
    return "\n".join(out)


def _indented_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The box's body: the following lines indented by 4 spaces (blank lines included), dedented."""
    block: list[str] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if line.startswith("    ") or line.startswith("\t"):
            block.append(line[4:] if line.startswith("    ") else line[1:])
        elif not line.strip():
            block.append("")
        else:
            break
        index += 1
    while block and not block[-1].strip():
        block.pop()
        index -= 1
    return block, index


def _admonition(
    page: Page, kind: str, title: str | None, block: list[str], context: ConversionContext
) -> list[str]:
    body = convert_body(page, "\n".join(block), context)
    out = ["", f":::: {{.admonition .{kind}}}"]
    if title:
        out += ["::: admonition-title", _convert_line(page, title, context), ":::", ""]
    return [*out, body, "::::", ""]


def _convert_line(page: Page, line: str, context: ConversionContext) -> str:
    stripped = line.strip()
    if stripped.startswith(":::"):  # text to MkDocs; to pandoc it would open a div that swallows the rest
        line = line.replace(":::", "\\:::", 1)
    if stripped == GLOSSARY_MARKER:
        return context.glossary_table()
    if stripped == DOWNLOADS_MARKER:
        return ""
    if heading := HEADING.match(line):
        visible, identifier, _ = heading_id(heading.group(2))
        line = f"{heading.group(1)} {visible} {{#{section_id(page.name, identifier)}}}"
    line = FOOTNOTE.sub(lambda m: f"[^{page.stem}-{m.group(1)}]", line)
    return replace_links(line, lambda link: _link(page, link, context))


def _link(page: Page, link: InlineLink, context: ConversionContext) -> str:
    text, target, whole = link.text, link.target, link.written
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.IGNORECASE):
        return whole
    if link.is_image:
        return f"![{text}]({context.image_path(page, target)})"
    file, _, anchor = target.partition("#")
    name = resolve(page, file)
    if not name.endswith(".md"):
        return whole
    if name in context.edition_pages:
        destination = section_id(name, anchor) if anchor else chapter_id(name)
        return f"[{text}](#{destination})"
    return f"[{text}]({context.page_url(name, anchor)})"
