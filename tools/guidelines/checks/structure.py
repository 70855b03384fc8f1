"""Page structure: heading order and ids, boxes with a body."""

from __future__ import annotations

import re

from guidelines.content import ADMONITION, ADMONITION_KINDS, Content, Page, code_mask, fence_spans
from guidelines.findings import Finding, Severity

ID_FORM = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# "2022. gada 30. martā" at the start of a line is, to Markdown, item 2022 of a numbered list.
YEAR_AS_LIST = re.compile(r"^(\s*)(\d{4})\.\s+(?=\S)(?!\d)")


def check(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    for pages in content.pages.values():
        for page in pages:
            findings.extend(_headings(content, page))
            findings.extend(_admonitions(content, page))
            findings.extend(_years_read_as_lists(content, page))
            findings.extend(_unclosed_fence(content, page))
    return findings


def _headings(content: Content, page: Page) -> list[Finding]:
    shown = content.project.display(page.path)
    findings = []
    seen: dict[str, int] = {}
    previous = 1  # the title from the front matter is the page's level 1
    if page.title and not re.search(r"\w", page.title):
        findings.append(
            Finding(shown, 2, "HEADING_EMPTY", "the title has no words", hint='title: "Chapter title"')
        )
    for heading in page.headings:
        if not re.search(r"\w", heading.text):
            findings.append(
                Finding(
                    shown,
                    heading.line,
                    "HEADING_EMPTY",
                    "the heading has no words",
                    hint="write the section's name after the #",
                )
            )
        if heading.level == 1:
            findings.append(
                Finding(
                    shown,
                    heading.line,
                    "HEADING_LEVEL",
                    "a level-1 heading in the body",
                    hint="the title comes from the front matter; start sections with ##",
                )
            )
        elif heading.level > previous + 1:
            findings.append(
                Finding(
                    shown,
                    heading.line,
                    "HEADING_LEVEL",
                    f"heading level {heading.level} follows level {previous}",
                    hint=f"use {'#' * (previous + 1)} here",
                )
            )
        previous = heading.level
        if heading.id in seen:
            findings.append(
                Finding(
                    shown,
                    heading.line,
                    "HEADING_ID_DUPLICATE",
                    f"heading id '{heading.id}' is already used on line {seen[heading.id]}",
                    hint="give each heading its own {#id}",
                )
            )
        seen.setdefault(heading.id, heading.line)
        if heading.explicit_id and not ID_FORM.match(heading.id):
            findings.append(
                Finding(
                    shown,
                    heading.line,
                    "HEADING_ID_FORM",
                    f"heading id '{heading.id}' should use only a-z, 0-9 and hyphens",
                )
            )
        if not heading.explicit_id:
            findings.append(
                Finding(
                    shown,
                    heading.line,
                    "HEADING_ID_MISSING",
                    f"heading '{heading.text}' has no explicit id",
                    Severity.WARNING,
                    f"add one so links keep working in every language: ## {heading.text} {{#{heading.id}}}",
                )
            )
    return findings


def _admonitions(content: Content, page: Page) -> list[Finding]:
    shown = content.project.display(page.path)
    findings = []
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    for index, line in enumerate(lines):
        if in_code[index] or not (match := ADMONITION.match(line)):
            continue
        number = page.body_line + index
        kind = match.group("kind")
        if kind not in ADMONITION_KINDS:
            findings.append(
                Finding(
                    shown,
                    number,
                    "BOX_KIND",
                    f"unknown box type '{kind}'",
                    hint=f"use one of: {', '.join(sorted(ADMONITION_KINDS))}",
                )
            )
        following = [text for text in lines[index + 1 :] if text.strip()][:1]
        if not following or not following[0].startswith("    "):
            findings.append(
                Finding(
                    shown,
                    number,
                    "BOX_EMPTY",
                    f"the '{kind}' box has no indented text",
                    hint="indent the box's text by 4 spaces under the !!! line",
                )
            )
    return findings


def _years_read_as_lists(content: Content, page: Page) -> list[Finding]:
    shown = content.project.display(page.path)
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    findings = []
    for index, line in enumerate(lines):
        if in_code[index] or not (match := YEAR_AS_LIST.match(line)):
            continue
        findings.append(
            Finding(
                shown,
                page.body_line + index,
                "YEAR_LIST",
                f"'{match.group(2)}.' at the start of a line becomes a numbered list",
                hint=f"write {match.group(2)}\\. so the year stays text",
            )
        )
    return findings


def _unclosed_fence(content: Content, page: Page) -> list[Finding]:
    """A code fence opened and never closed swallows the rest of the page into one code block."""
    lines = page.body.split("\n")
    shown = content.project.display(page.path)
    return [
        Finding(
            shown,
            page.body_line + first,
            "CODE_FENCE",
            "this code block is never closed",
            hint=f"end it with a line holding only {lines[first].strip()[:3]}",
        )
        for first, last in fence_spans(lines)
        if last is None
    ]
