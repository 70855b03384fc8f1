"""Raw HTML that is not closed as it was opened.

Python-Markdown passes HTML through as written. An element left open (`<div>` without `</div>`) takes
the rest of the site's page into it, the navigation and footer included; a stray `</div>` closes the
site's own article early, so the text after it falls outside the page. The editions, which read each
chapter on its own, would show the text where the site loses it.
"""

from __future__ import annotations

from html.parser import HTMLParser

from guidelines.content import Content, Page, code_mask
from guidelines.findings import Finding

# Elements that have no end tag, and those whose end tag HTML lets a writer leave out.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[tuple[str, str]] = []  # (tag, "unclosed" | "stray")

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag not in self.open:
            self.problems.append((tag, "stray"))
            return
        while self.open:
            top = self.open.pop()
            if top == tag:
                break
            if top not in OPTIONAL_END:
                self.problems.append((top, "unclosed"))

    def close(self) -> None:
        super().close()
        self.problems.extend((tag, "unclosed") for tag in reversed(self.open) if tag not in OPTIONAL_END)
        self.open = []


def check(content: Content) -> list[Finding]:
    return [finding for pages in content.pages.values() for page in pages for finding in _page(content, page)]


def _page(content: Content, page: Page) -> list[Finding]:
    balance = _Balance()
    balance.feed(page.html)
    balance.close()
    shown = content.project.display(page.path)
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    findings = []
    for tag, problem in balance.problems:
        written = f"</{tag}" if problem == "stray" else f"<{tag}"
        index = next((i for i, line in enumerate(lines) if not in_code[i] and written in line.lower()), None)
        line = page.body_line + index if index is not None else page.body_line
        if problem == "stray":
            message = f"'</{tag}>' closes an element that is not open here"
            hint = f"remove the '</{tag}>', or open the element before it"
        else:
            message = f"'<{tag}>' is never closed: the site's page would end inside it"
            hint = f"close it with '</{tag}>', or write the content in Markdown"
        findings.append(Finding(shown, line, "HTML_UNBALANCED", message, hint=hint))
    return findings
