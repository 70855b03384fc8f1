"""`guidelines build`: checks, editions, site — into a staging folder, swapped into place only on success."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from guidelines import toolkit_fingerprint
from guidelines.checks import run_checks
from guidelines.content import load_or_fail
from guidelines.editions.build import MANIFEST, EditionFile, build_editions
from guidelines.findings import Finding, FindingsError, Severity
from guidelines.progress import Progress
from guidelines.project import Project, source_date_epoch
from guidelines.site import build_site

CACHE_DIR = ".cache/editions"
# The hash of everything the current site/ was built from: an unchanged project reuses it as it is.
SITE_INPUTS = ".cache/site-inputs"


@dataclass
class BuildResult:
    site_dir: Path
    editions: list[EditionFile]
    warnings: list[Finding]


def check_content(project: Project):
    """Load and check everything; raise FindingsError if any error would make a wrong site or edition."""
    content, findings = load_or_fail(project)
    findings = findings + run_checks(content)
    errors = [finding for finding in findings if finding.severity is Severity.ERROR]
    if errors:
        raise FindingsError(findings)
    return content, findings


def build(
    project: Project, *, jobs: int | None = None, use_cache: bool = True, progress: Progress | None = None
) -> BuildResult:
    progress = progress or Progress()
    jobs = jobs or os.cpu_count() or 1
    with progress.step("checks"):
        content, warnings = check_content(project)
    # Stage next to the output, so the final move is a rename on the same file system.
    project.site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{project.site_dir.name}-", dir=project.site_dir.parent))
    try:
        editions_dir = staging / "downloads"
        cache = project.root / CACHE_DIR if use_cache else None
        editions = build_editions(content, editions_dir, jobs=jobs, cache_dir=cache, progress=progress)
        inputs = site_inputs(project, (editions_dir / MANIFEST).read_bytes())
        recorded = project.root / SITE_INPUTS
        if use_cache and project.site_dir.is_dir() and recorded.is_file() and recorded.read_text() == inputs:
            with progress.step("site: unchanged, reused"):
                pass
        else:
            site_dir = staging / "site"
            with progress.step("site"):
                build_site(project, site_dir, editions_dir / MANIFEST)
            editions_dir.rename(site_dir / "downloads")
            replace_directory(site_dir, project.site_dir)
            recorded.parent.mkdir(parents=True, exist_ok=True)
            recorded.write_text(inputs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(project.site_dir, editions, warnings)


def site_inputs(project: Project, manifest: bytes) -> str:
    """A hash of everything the site is made from: the docs, the settings, the toolkit and its
    pinned engines, the editions, and the date and address the pages carry."""
    sha = hashlib.sha256(manifest)
    sha.update(toolkit_fingerprint())
    for path in [*sorted(project.docs_dir.rglob("*")), project.config_path]:
        if path.is_file():
            sha.update(path.as_posix().encode())
            sha.update(path.read_bytes())
    sha.update(f"{source_date_epoch(project.root)} {os.environ.get('SITE_URL', '')}".encode())
    return sha.hexdigest()


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is; the old one is removed only after the new one is in place."""
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(target)
