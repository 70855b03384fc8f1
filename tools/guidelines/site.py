"""The only module that runs the site engine (MkDocs + Material + mkdocs-static-i18n).

Everything else asks this module for a site; swapping the engine later touches this file and the plugin.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from guidelines.findings import Finding, FindingsError, ToolError
from guidelines.project import Project

DOWNLOADS_ENV = "GUIDELINES_DOWNLOADS"
# What the plugin needs to know of a build that mkdocs.yml does not say: the number of the released
# edition it builds (none for the work in progress), and the folder of the published site (`1.1`,
# `dev`) the pages will live in.
VERSION_ENV = "GUIDELINES_VERSION"
PUBLISHED_AS_ENV = "GUIDELINES_PUBLISHED_AS"
# mkdocs-static-i18n reports at INFO that lunr lacks lv/lt; the toolkit handles search itself.
IGNORED = re.compile(r"is not supported by lunr|Material for MkDocs reaches end of life")
# A finding the toolkit's plugin reports as a warning, in the toolkit's own form (Finding.format).
PLUGIN_FINDING = re.compile(
    r"^(?P<path>[^\s:]+)(?::(?P<line>\d+))?: (?P<code>[A-Z][A-Z_]+) "
    r"(?P<message>.*?)(?: \(hint: (?P<hint>.*)\))?$"
)


def _environment(
    manifest: Path | None, version: str | None = None, published_as: str | None = None
) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for name, value in ((DOWNLOADS_ENV, manifest), (VERSION_ENV, version), (PUBLISHED_AS_ENV, published_as)):
        env.pop(name, None)
        if value is not None:
            env[name] = str(value)
    return env


def build_site(
    project: Project,
    site_dir: Path,
    manifest: Path | None,
    published_as: str | None = None,
    edition: str | None = None,
) -> None:
    """Build the website for every language into `site_dir` (strict: any MkDocs warning fails)."""
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(project.config_path),
        "--site-dir",
        str(site_dir),
    ]
    result = subprocess.run(
        command,
        cwd=project.root,
        capture_output=True,
        text=True,
        env=_environment(manifest, edition, published_as),
    )
    if result.returncode != 0:
        problems = [
            line
            for line in result.stderr.splitlines()
            if line.startswith(("WARNING", "ERROR")) and not IGNORED.search(line)
        ]
        findings = [_finding(project, line) for line in problems]
        if findings:
            raise FindingsError(findings)
        raise ToolError("MkDocs could not build the site:\n" + result.stderr.strip()[-3000:])


def _finding(project: Project, line: str) -> Finding:
    """A MkDocs warning as a Finding, pointing at the page it names where it names one."""
    text = re.sub(r"^(WARNING|ERROR)\s*-\s*", "", line).strip()
    if found := PLUGIN_FINDING.match(text):
        return Finding(
            found["path"], int(found["line"] or 0), found["code"], found["message"], hint=found["hint"] or ""
        )
    page = re.search(r"[Dd]oc file '([^']+)'", text) or re.search(r"'([^']+\.md)'", text)
    path = project.display(project.docs_dir / page.group(1)) if page else project.display(project.config_path)
    return Finding(path, 0, "SITE", text)


def serve_site(project: Project, address: str) -> int:
    """Preview with live reload for editors; returns MkDocs' exit code."""
    manifest = project.site_dir / "downloads" / "manifest.json"
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--config-file",
        str(project.config_path),
        "--dev-addr",
        address,
    ]
    return subprocess.call(
        command, cwd=project.root, env=_environment(manifest if manifest.exists() else None)
    )
