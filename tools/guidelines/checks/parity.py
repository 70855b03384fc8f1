"""Translation parity: a translation has the structure of its source (headings, links, images, blocks).

Differences are warnings: the site and editions still build, and `guidelines check` lists them so a
translator can bring the page back in step. Each message names both files.
"""

from __future__ import annotations

from collections import Counter

from guidelines.content import Content, Page
from guidelines.findings import Finding, Severity


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
