"""Build every edition (language by format) in parallel, reusing unchanged ones by content hash."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from guidelines import toolkit_fingerprint
from guidelines.content import Content
from guidelines.editions import FORMATS
from guidelines.editions.document import EditionSource, build_source, edition_file_name
from guidelines.editions.docx import build_docx
from guidelines.editions.epub import build_epub
from guidelines.editions.pdf import build_pdf
from guidelines.editions.preflight import check_edition
from guidelines.findings import Finding, FindingsError, has_errors
from guidelines.progress import Progress

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class EditionFile:
    language: str
    format: str
    file: str
    size: int
    sha256: str


@dataclass(eq=False)
class EditionTask:
    source: EditionSource
    format: str
    output: Path
    key: str  # content hash of everything the file is made from

    def cached(self, cache_dir: Path) -> Path:
        return cache_dir / f"{self.key}.{self.format}"


BUILDERS = {"pdf": build_pdf, "docx": build_docx, "epub": build_epub}


def _build_one(source: EditionSource, fmt: str, output: Path) -> list[Finding]:
    """Make one edition file and run its preflight (editions/preflight.py) in the same worker."""
    BUILDERS[fmt](source, output)
    return check_edition(source, fmt, output)


def build_editions(
    content: Content,
    out_dir: Path,
    *,
    jobs: int,
    cache_dir: Path | None,
    progress: Progress | None = None,
    preflight: list[Finding] | None = None,
) -> list[EditionFile]:
    """Write every language's PDF, DOCX and EPUB into `out_dir`, with a manifest and SHA-256 sums.

    Every file made is preflighted; its warnings are added to `preflight`, and any error raises
    FindingsError before the file is cached (a file reused from the cache passed when it was made)."""
    progress = progress or Progress()
    project = content.project
    fingerprint = toolkit_fingerprint()
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks: list[EditionTask] = []
    date = project.edition_date().isoformat()
    for language in project.languages:
        source = build_source(content, language.code)
        for fmt in FORMATS:
            name = edition_file_name(project.edition_name, language.code, project.version, date, fmt)
            key = source.digest(fingerprint, fmt.encode())
            tasks.append(EditionTask(source, fmt, out_dir / name, key))

    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    pending = [task for task in tasks if cache_dir is None or not task.cached(cache_dir).is_file()]
    with progress.step(f"editions: {len(pending)} built, {len(tasks) - len(pending)} reused"):
        if pending:
            # forkserver: forking the caller (which may run threads, e.g. a test's web server) can
            # copy a held lock into the worker and hang it.
            # One task per worker: a worker keeps the memory of the largest PDF it typeset (about 5 GB
            # for a 2,000-page edition), so reusing it would stack two editions' peaks in one process.
            context = multiprocessing.get_context("forkserver")
            workers = max(1, min(jobs, len(pending)))
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=1) as pool:
                futures = [pool.submit(_build_one, task.source, task.format, task.output) for task in pending]
                findings = [finding for future in futures for finding in future.result()]
            if has_errors(findings):
                raise FindingsError(findings)
            if preflight is not None:
                preflight.extend(findings)
        if cache_dir is not None:
            for task in tasks:
                if task in pending:
                    shutil.copyfile(task.output, task.cached(cache_dir))
                else:
                    shutil.copyfile(task.cached(cache_dir), task.output)

    files = []
    for task in tasks:
        data = task.output.read_bytes()
        files.append(
            EditionFile(
                task.source.language,
                task.format,
                task.output.name,
                len(data),
                hashlib.sha256(data).hexdigest(),
            )
        )
    (out_dir / MANIFEST).write_text(json.dumps([asdict(f) for f in files], indent=2) + "\n", encoding="utf-8")
    (out_dir / CHECKSUMS).write_text("".join(f"{f.sha256}  {f.file}\n" for f in files), encoding="utf-8")
    return files


def read_manifest(path: Path) -> list[EditionFile]:
    if not path.is_file():
        return []
    return [EditionFile(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]
