"""Footnotes as the site reads them: a reference to a note that is not written shows as `[^x]` in the
text; a note that nothing refers to is listed at the page's end on the site but has no place in the
editions, where each note sits at its reference."""

from __future__ import annotations

import re

from guidelines.content import Content, Page
from guidelines.findings import Finding

REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


def check(content: Content) -> list[Finding]:
    return [finding for pages in content.pages.values() for page in pages for finding in _page(content, page)]


def _page(content: Content, page: Page) -> list[Finding]:
    shown = content.project.display(page.path)
    findings = []
    body = page.tree
    # Text the site shows as "[^x]", outside code: a reference whose note is not written.
    for element in body.iter():
        if element.tag in ("code", "pre") or not isinstance(element.tag, str):
            continue
        for text in (element.text, *(child.tail for child in element)):
            for label in REFERENCE.findall(text or ""):
                findings.append(
                    Finding(
                        shown,
                        page.line_naming(f"[^{label}]"),
                        "FOOTNOTE_MISSING",
                        f"footnote [^{label}] is referred to but not written",
                        hint=f"add the note on its own line: [^{label}]: The source.",
                    )
                )
    referred = {anchor.get("href", "").removeprefix("#fn:") for anchor in body.find_class("footnote-ref")}
    for note in body.xpath('//div[contains(concat(" ", @class, " "), " footnote ")]/ol/li[@id]'):
        label = note.get("id").removeprefix("fn:")
        if label not in referred:
            findings.append(
                Finding(
                    shown,
                    page.line_naming(f"[^{label}]:"),
                    "FOOTNOTE_UNUSED",
                    f"footnote [^{label}] is written but nothing refers to it",
                    hint=f"refer to it in the text with [^{label}], or remove the note",
                )
            )
    return findings
