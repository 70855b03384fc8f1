"""What a page must not carry into the site: active HTML, and includes that reach outside docs/.

The site is static and trusted by readers on municipal networks: a `<script>`, an `<iframe>` from
another host or an `onclick=` attribute pasted into a chapter would run in every reader's browser.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidelines.content import Content, Page, code_mask
from guidelines.findings import Finding

UNSAFE_TAG = re.compile(
    r"<\s*(script|iframe|object|embed|form|input|textarea|select|button|style|link|meta|base)\b",
    re.IGNORECASE,
)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"\]\(\s*javascript:|href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
# pymdownx.snippets (--8<-- "file") and Jinja-style includes, should the site ever enable them.
INCLUDE = re.compile(r"""^\s*(?:-{1,3}8<-{1,3}\s*|\{%\s*include\s+)["']([^"']+)["']""")


def check(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    docs = content.project.docs_dir.resolve()
    for pages in content.pages.values():
        for page in pages:
            findings.extend(_page(content, page, docs))
    return findings


def _page(content: Content, page: Page, docs: Path) -> list[Finding]:
    shown = content.project.display(page.path)
    lines = page.body.split("\n")
    in_code = code_mask(lines)
    findings = []
    for index, line in enumerate(lines):
        if in_code[index]:
            continue
        number = page.body_line + index
        unsafe = UNSAFE_TAG.search(line)
        event = EVENT_ATTRIBUTE.search(line)
        if unsafe or event or SCRIPT_URL.search(line):
            what = (
                f"<{unsafe.group(1).lower()}>"
                if unsafe
                else (f"{event.group(1)}= attribute" if event else "javascript: link")
            )
            findings.append(
                Finding(
                    shown,
                    number,
                    "HTML_UNSAFE",
                    f"{what} in the text would run in readers' browsers",
                    hint="remove it; write the content in Markdown",
                )
            )
        if include := INCLUDE.match(line):
            target = (page.path.parent / include.group(1)).resolve()
            if not target.is_relative_to(docs):
                findings.append(
                    Finding(
                        shown,
                        number,
                        "INCLUDE_OUTSIDE",
                        f"'{include.group(1)}' is outside the docs folder",
                        hint="keep included files inside docs/",
                    )
                )
    return findings
