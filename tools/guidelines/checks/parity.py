"""Translation parity: a translation has the structure of its source (headings, links, images, blocks).

Differences are warnings: the site and editions still build, and `guidelines check` lists them so a
translator can bring the page back in step. Each message names both files.

The home page's front matter is the exception: the editions' title pages are made from it (subtitle,
programme, funding statement), so a key the source has and a translation lacks would print a title
page without, say, the funding statement. That is an error (PARITY_TITLE_PAGE).
"""

from __future__ import annotations

from collections import Counter

from guidelines.content import Content, Page
from guidelines.findings import Finding, Severity

HOME = "index.md"
# Written by `guidelines translations mark-current` in translations only.
TRANSLATION_KEYS = {"source"}


def check(content: Content) -> list[Finding]:
    project = content.project
    source = project.source_language.code
    findings: list[Finding] = []
    for language in project.languages:
        if language.is_source:
            continue
        for page in content.pages.get(language.code, []):
            original = content.page(source, page.name)
            if original is not None:
                findings.extend(compare(content, original, page))
                if page.name == HOME:
                    findings.extend(title_page(content, original, page))
    return findings


def title_page(content: Content, original: Page, page: Page) -> list[Finding]:
    """A translation's home page has the front-matter keys of the source's, no fewer and no more."""
    shown, source_shown = content.project.display(page.path), content.project.display(original.path)
    ours = set(page.front_matter) - TRANSLATION_KEYS
    theirs = set(original.front_matter) - TRANSLATION_KEYS
    # A missing key goes after the last one the page shares with its source (not inside `source:`).
    last = max((line for key, line in page.front_matter_lines.items() if key in ours), default=1)
    where = {key: f"{source_shown}:{line}" for key, line in original.front_matter_lines.items()}
    findings = [
        Finding(
            shown,
            last,
            "PARITY_TITLE_PAGE",
            f"the front matter has no '{key}', which {where[key]} has: "
            "this language's title page would lack it",
            hint=f"add '{key}:' with the translation of the source's value",
        )
        for key in sorted(theirs - ours)
    ]
    findings += [
        Finding(
            shown,
            page.front_matter_lines.get(key, 1),
            "PARITY_TITLE_PAGE",
            f"the front matter has '{key}', which {source_shown} has not: only this language's title page "
            "would show it",
            hint=f"add '{key}' to {source_shown} too, or remove it here",
        )
        for key in sorted(ours - theirs)
    ]
    return findings


def compare(content: Content, original: Page, page: Page) -> list[Finding]:
    shown, source_shown = content.project.display(page.path), content.project.display(original.path)
    findings = []

    def finding(line: int, code: str, message: str, hint: str = "") -> None:
        findings.append(Finding(shown, line, code, message, Severity.WARNING, hint))

    translated = {heading.id: heading for heading in page.headings}
    source_ids = {heading.id for heading in original.headings}
    for heading in original.headings:
        match = translated.get(heading.id)
        if match is None:
            finding(
                page.body_line,
                "PARITY_HEADING",
                f"heading '{heading.id}' of {source_shown}:{heading.line} is missing here",
                f"add the translated heading with {{#{heading.id}}}",
            )
        elif match.level != heading.level:
            finding(
                match.line,
                "PARITY_HEADING",
                f"heading '{heading.id}' is level {match.level} here, "
                f"level {heading.level} in {source_shown}:{heading.line}",
            )
    for heading in page.headings:
        if heading.id not in source_ids:
            finding(
                heading.line,
                "PARITY_HEADING",
                f"heading '{heading.id}' is not in {source_shown}",
                "use the same {#id} as the source heading",
            )

    for kind, pick in (
        ("image", lambda p: [link.target for link in p.images]),
        ("link", lambda p: [link.target for link in p.links if not link.is_image and not link.is_external]),
    ):
        ours, theirs = Counter(pick(page)), Counter(pick(original))
        for target in sorted((theirs - ours).elements()):
            finding(
                page.body_line,
                f"PARITY_{kind.upper()}",
                f"{kind} '{target}' of {source_shown} is missing here",
            )
        for target in sorted((ours - theirs).elements()):
            line = next((link.line for link in page.links if link.target == target), page.body_line)
            finding(line, f"PARITY_{kind.upper()}", f"{kind} '{target}' is not in {source_shown}")

    for name, attribute in (("tables", "tables"), ("boxes", "admonitions"), ("lists", "list_blocks")):
        ours, theirs = getattr(page, attribute), getattr(original, attribute)
        ours, theirs = (len(ours), len(theirs)) if isinstance(ours, list) else (ours, theirs)
        if ours != theirs:
            finding(page.body_line, "PARITY_BLOCKS", f"{ours} {name} here, {theirs} in {source_shown}")
    return findings
