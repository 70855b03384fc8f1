"""What a page must not carry into the site: HTML outside the allowlist of safe HTML, pictures from other
hosts, and includes that reach outside docs/.

The site is static and trusted by readers on municipal networks: a `<script>`, an `<iframe>` from
another host or an `onclick=` attribute pasted into a chapter would run in every reader's browser.
Each page is read as the site renders it (`guidelines.rendering`), with the glossary table it expands
to, and compared with the allowlist (`guidelines.sanitise`); the MkDocs plugin checks the final pages
again, with everything the toolkit adds.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidelines.content import Content, Page
from guidelines.findings import Finding, FindingsError
from guidelines.glossary import MARKER as GLOSSARY_MARKER
from guidelines.glossary import glossary_table, load_glossary
from guidelines.rendering import expand_markers, render
from guidelines.sanitise import Problem, html_problems, line_of

# pymdownx.snippets (--8<-- "file") and Jinja-style includes, should the site ever enable them.
INCLUDE = re.compile(r"""^\s*(?:-{1,3}8<-{1,3}\s*|\{%\s*include\s+)["']([^"']+)["']""")


def check(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    docs = content.project.docs_dir.resolve()
    glossary = _glossary_text(content)
    for pages in content.pages.values():
        for page in pages:
            findings.extend(_includes(content, page, docs))
            findings.extend(_unsafe_html(content, page, glossary))
    # The glossary's table is on the glossary page of every language: say its problem once.
    return list(dict.fromkeys(findings))


def _glossary_text(content: Content) -> str:
    path = content.project.glossary_path
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _unsafe_html(content: Content, page: Page, glossary: str) -> list[Finding]:
    """The page's HTML, as the site renders it with its glossary table, against the allowlist."""
    project = content.project
    body = page.body
    expands_glossary = any(line.strip() == GLOSSARY_MARKER for line in body.split("\n"))
    if expands_glossary:
        codes = [language.code for language in project.languages]
        try:
            terms = load_glossary(project.glossary_path, project.display(project.glossary_path), codes)
        except FindingsError:  # reported, with its line, where the glossary is loaded for the build
            terms = []
        body = expand_markers(body, {GLOSSARY_MARKER: lambda: glossary_table(terms, page.language, codes)})
    rendered = render(project, body) if expands_glossary else page.html
    return [
        _finding(content, page, problem, glossary if expands_glossary else "")
        for problem in html_problems(rendered)
    ]


def _finding(content: Content, page: Page, problem: Problem, glossary: str) -> Finding:
    """The problem at the page's line that holds it, or at the glossary's when the glossary table
    brought it in."""
    project = content.project
    path, line = page.path, line_of(problem, page.body.split("\n"), page.body_line)
    if not line and glossary and (glossary_line := line_of(problem, glossary.split("\n"))):
        path, line = project.glossary_path, glossary_line
    # Where no pattern finds it, the page's first line: the message still names what it is.
    line = line or page.body_line
    return Finding(project.display(path), line, problem.code, problem.what, hint=problem.hint)


def _includes(content: Content, page: Page, docs: Path) -> list[Finding]:
    shown = content.project.display(page.path)
    findings = []
    for index, line in enumerate(page.body.split("\n")):
        if include := INCLUDE.match(line):
            target = (page.path.parent / include.group(1)).resolve()
            if not target.is_relative_to(docs):
                findings.append(
                    Finding(
                        shown,
                        page.body_line + index,
                        "INCLUDE_OUTSIDE",
                        f"'{include.group(1)}' is outside the docs folder",
                        hint="keep included files inside docs/",
                    )
                )
    return findings
