"""`guidelines build`: checks, editions, site — into a staging folder, swapped into place only on success."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from guidelines import toolkit_fingerprint
from guidelines.checks import run_checks
from guidelines.content import load_or_fail
from guidelines.editions.build import build_editions
from guidelines.editions.cache import EditionCache
from guidelines.editions.manifest import MANIFEST, EditionFile
from guidelines.findings import Finding, FindingsError, Severity
from guidelines.lock import project_lock
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
    project: Project,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    version: str | None = None,
    published_as: str | None = None,
    site_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> BuildResult:
    """Check, then build the editions and the site into `site_dir` (default: the project's site/).

    `version` is the released edition being built (default: none, the work in progress, labelled
    with the version in mkdocs.yml); `published_as` is the folder of
    the published site the build goes to (`1.1`, `dev`): its pages get that address and the
    version selector. `cache_dir` is the edition cache read and written (default: the project's
    .cache/editions); a build of a checkout of the project reuses the project's own."""
    with project_lock(project, "build"):
        return _build(project, jobs, use_cache, progress, version, published_as, site_dir, cache_dir)


def _build(
    project: Project,
    jobs: int | None,
    use_cache: bool,
    progress: Progress | None,
    version: str | None,
    published_as: str | None,
    site_dir: Path | None,
    cache_dir: Path | None,
) -> BuildResult:
    progress = progress or Progress()
    jobs = jobs or os.cpu_count() or 1
    # The reuse record belongs to the project's own site/; a build elsewhere always builds.
    reuse = use_cache and site_dir is None
    # An edition's files are the same wherever its site is published (by `release`, by the release
    # workflow, by a rebuild at its tag): their links lead to the edition's own folder (a release's
    # number, 1.1/) or, for the work in progress, to the site's root.
    edition_url = project.site_url + (f"{version}/" if version else "")
    project = for_publication(project, version, published_as, site_dir)
    with progress.step("checks"):
        content, warnings = check_content(project)
    # Stage next to the output, so the final move is a rename on the same file system.
    project.site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(project.site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{project.site_dir.name}-", dir=project.site_dir.parent))
    try:
        editions_dir = staging / "downloads"
        cache = (cache_dir or project.root / CACHE_DIR) if use_cache else None
        preflight: list[Finding] = []
        cache_entries: set[str] = set()
        editions = build_editions(
            replace(content, project=replace(project, site_url=edition_url)),
            editions_dir,
            jobs=jobs,
            cache_dir=cache,
            progress=progress,
            preflight=preflight,
            cache_entries=cache_entries,
        )
        warnings = warnings + preflight
        inputs = site_inputs(project, (editions_dir / MANIFEST).read_bytes(), published_as)
        recorded = project.root / SITE_INPUTS
        if reuse and project.site_dir.is_dir() and recorded.is_file() and recorded.read_text() == inputs:
            with progress.step("site: unchanged, reused"):
                pass
        else:
            staged_site = staging / "site"
            with progress.step("site"):
                build_site(project, staged_site, editions_dir / MANIFEST, published_as, edition=version)
            editions_dir.rename(staged_site / "downloads")
            replace_directory(staged_site, project.site_dir)
            if reuse:
                recorded.parent.mkdir(parents=True, exist_ok=True)
                recorded.write_text(inputs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Only now: a build that fails keeps every entry. And only by the project's own build, whose
    # editions the next build reuses: a release's (built elsewhere, as its edition) would remove them,
    # and a pull request's preview the base's, which its review then counts pages of.
    if cache is not None and site_dir is None and published_as is None:
        prune_cache(EditionCache(cache), cache_entries, progress)
    return BuildResult(project.site_dir, editions, warnings)


def prune_cache(cache: EditionCache, keep: set[str], progress: Progress) -> None:
    """Remove the cache entries this build's editions are not made from (older text, an earlier
    toolkit): without it the cache grows by a set of editions with every change. Called with the
    project's lock held, so no other build is using the cache."""
    pruned = cache.prune(keep)
    # Not "editions…": that step's label says how many editions were built (bench/run.py reads it).
    if pruned is None:
        said = "cache: in use by another command, not pruned"
    else:
        said = (
            f"cache: {pruned.removed} files no edition uses removed, "
            f"{pruned.before / 2**20:.1f} MB -> {pruned.after / 2**20:.1f} MB"
        )
    with progress.step(said):
        pass


def for_publication(
    project: Project, version: str | None, published_as: str | None, site_dir: Path | None
) -> Project:
    """The project as one build sees it: its edition number, its address, where its site goes."""
    if version is not None:
        project = replace(project, version=version)
    if published_as is not None:
        project = replace(project, site_url=f"{project.site_url}{published_as}/")
    if site_dir is not None:
        project = replace(project, site_dir=site_dir)
    return project


def site_inputs(project: Project, manifest: bytes, published_as: str | None) -> str:
    """A hash of everything the site is made from: the docs, the settings, the toolkit and its
    pinned engines, the editions, and the date, version and address the pages carry."""
    sha = hashlib.sha256(manifest)
    sha.update(f"{project.version} {project.site_url} {published_as}".encode())
    sha.update(toolkit_fingerprint())
    for path in [*sorted(project.docs_dir.rglob("*")), *project.settings_paths]:
        if path.is_file():
            sha.update(path.as_posix().encode())
            sha.update(path.read_bytes())
    sha.update(str(source_date_epoch(project.root)).encode())  # SITE_URL is in project.site_url
    return sha.hexdigest()


def remove_leftovers(site_dir: Path) -> None:
    """What a build killed outright left beside site/: its staging folder (`.site-XXXXXXXX`, with
    its downloads) and the previous site it was swapping out (`.site-old-<pid>`). Only called with
    the project's lock held, so no running build owns them."""
    for leftover in site_dir.parent.glob(f".{site_dir.name}-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is; the old one is removed only after the new one is in place."""
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(target)
