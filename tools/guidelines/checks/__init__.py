"""Every rule of the toolkit; each returns Findings. `run_checks` runs them all."""

from __future__ import annotations

from guidelines.checks import (
    footnotes,
    glyphs,
    html,
    languages,
    links,
    nesting,
    parity,
    pictures,
    safety,
    structure,
    terminology,
)
from guidelines.content import Content
from guidelines.findings import Finding

RULES = (
    nesting.check,  # first: too deep a nesting stops the other rules' reading, and the engines
    structure.check,
    links.check,
    footnotes.check,
    html.check,
    safety.check,
    pictures.check,
    parity.check,
    glyphs.check,
    languages.check_codes,
)
# Advice for translators, listed by `guidelines check` but not repeated by every build.
ADVISORY_RULES = (terminology.check, languages.check)


def run_checks(content: Content, *, advisory: bool = False) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES + (ADVISORY_RULES if advisory else ()):
        findings.extend(rule(content))
    return findings
