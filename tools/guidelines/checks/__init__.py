"""Every rule of the toolkit; each returns Findings. `run_checks` runs them all."""

from __future__ import annotations

from guidelines.checks import links, parity, structure
from guidelines.content import Content
from guidelines.findings import Finding

RULES = (structure.check, links.check, parity.check)


def run_checks(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(content))
    return findings
