"""Build every edition (language by format) in parallel, reusing unchanged ones by content hash."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from guidelines import toolkit_fingerprint
from guidelines.content import Content
from guidelines.editions import FORMATS, EditionFailure, without_machine_paths
from guidelines.editions.cache import EditionCache, sha256_of
from guidelines.editions.chapters import chapter_id
from guidelines.editions.document import EditionSource, build_source, edition_file_name
from guidelines.editions.docx import build_docx
from guidelines.editions.epub import build_epub
from guidelines.editions.forms import FORM_FORMATS, build_form, form_file_name, form_sources
from guidelines.editions.manifest import CHECKSUMS, MANIFEST, EditionFile
from guidelines.editions.pdf import build_pdf
from guidelines.editions.preflight import check_edition
from guidelines.editions.workers import Job, Limits, run_jobs
from guidelines.findings import Finding, FindingsError, Severity, ToolError, has_errors
from guidelines.progress import Progress

LONGEST_FIRST = ("pdf", "epub", "docx")


@dataclass(eq=False)
class EditionTask:
    source: EditionSource
    format: str
    output: Path
    key: str  # content hash of everything the file is made from


BUILDERS = {"pdf": build_pdf, "docx": build_docx, "epub": build_epub}


def _build_one(source: EditionSource, fmt: str, output: Path) -> list[Finding]:
    """Make one edition file and run its preflight (editions/preflight.py) in the same worker."""
    if source.form:
        build_form(source, fmt, output)
    else:
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
        for form in form_sources(content, language.code):
            stem = form.form.removesuffix(".md").replace("/", "-")
            for fmt in FORM_FORMATS:
                name = form_file_name(project.edition_name, language.code, stem, project.version, date, fmt)
                tasks.append(EditionTask(form, fmt, out_dir / name, form.digest(fingerprint, fmt.encode())))

    cache = EditionCache(cache_dir) if cache_dir is not None else None
    damaged = []  # cache entries that failed their check: made again, with a warning
    pending = []
    for task in tasks:
        reason = cache.check(task.key, task.format) if cache else None
        if reason is None or reason:
            pending.append(task)
        if reason:
            damaged.append(_damaged_entry(content, task, cache.entry(task.key, task.format), reason))
    # The longest first (PDFs, then EPUBs, which EPUBCheck reads): no worker is left typesetting a PDF
    # alone at the end while the other is idle; the forms, a few pages each, fill the gaps last.
    pending.sort(key=lambda task: (bool(task.source.form), LONGEST_FIRST.index(task.format)))
    outcomes: dict[int, list[Finding]] = {}  # index in `pending` -> its failure or preflight findings
    failed: set[int] = set()  # the editions that failed or fail the preflight
    with progress.step(f"editions: {len(pending)} built, {len(tasks) - len(pending)} reused"):
        if pending:
            workers = max(1, min(jobs, len(pending)))
            runs = [
                Job(_build_one, (task.source, task.format, task.output), _limits(task)) for task in pending
            ]
            # Beside the downloads, in the build's staging folder: a killed build leaves nothing in /tmp.
            scratch = Path(tempfile.mkdtemp(prefix=".work-", dir=out_dir.parent))
            try:
                outcomes = _outcomes(content, pending, run_jobs(runs, workers, scratch))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            failed = {index for index, findings in outcomes.items() if has_errors(findings)}
        if cache is not None:
            for task in tasks:
                if task in pending and pending.index(task) not in failed:
                    cache.store(task.key, task.format, task.output)
                elif task not in pending:
                    _reuse(cache, task)
    reported = damaged + [finding for index in sorted(outcomes) for finding in outcomes[index]]
    if failed:  # every edition that failed, in one run; the others are cached for the next
        raise FindingsError(reported)
    if preflight is not None:
        preflight.extend(reported)

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
                task.source.form,
                _form_title(content, task.source),
            )
        )
    (out_dir / MANIFEST).write_text(json.dumps([asdict(f) for f in files], indent=2) + "\n", encoding="utf-8")
    (out_dir / CHECKSUMS).write_text("".join(f"{f.sha256}  {f.file}\n" for f in files), encoding="utf-8")
    return files


def _limits(task: EditionTask) -> Limits:
    return Limits.for_text(len(task.source.html))


def _damaged_entry(content: Content, task: EditionTask, entry: Path, reason: str) -> Finding:
    return Finding(
        content.project.display(entry),
        0,
        "EDITION_CACHE",
        f"the cached {task.source.language} {task.format.upper()} was not reused: {reason}; "
        "it was made again",
        Severity.WARNING,
    )


def _reuse(cache: EditionCache, task: EditionTask) -> None:
    """Copy a checked cache entry into the build; the copy must still be the recorded file."""
    shutil.copyfile(cache.entry(task.key, task.format), task.output)
    if sha256_of(task.output) != cache.recorded(task.key, task.format):
        raise ToolError(f"the copy of {cache.entry(task.key, task.format)} into the build differs from it")


def _outcomes(
    content: Content, tasks: list[EditionTask], results: list[tuple[bool, object]]
) -> dict[int, list[Finding]]:
    """What became of each edition: its preflight's findings, or, where the engine failed, that
    failure named at the place in the text where it stopped, as far as the engine said (the
    chapter's heading, or the line of the image it could not load)."""
    outcomes = {}
    for index, (task, (made, result)) in enumerate(zip(tasks, results, strict=True)):
        if made:
            outcomes[index] = result
            continue
        if not isinstance(result, ToolError):
            raise result
        failure = result if isinstance(result, EditionFailure) else EditionFailure(str(result))
        language = task.source.language
        path, line = _place(content, language, failure)
        message = without_machine_paths(failure.message, content.project.root)
        edition = f"the {language} {task.format.upper()}"
        outcomes[index] = [Finding(path, line, "EDITION", f"{edition} could not be made: {message}")]
    return outcomes


def _place(content: Content, language: str, failure: EditionFailure) -> tuple[str, int]:
    """The page (and line) an edition's failure points at; the language folder when it names none."""
    project = content.project
    for page in content.edition_pages(language):
        if failure.label is None or not (
            failure.label == chapter_id(page.name) or failure.label.startswith(chapter_id(page.name) + "--")
        ):
            continue
        shown = project.display(page.path)
        if failure.image:
            for image in page.images:
                if failure.image.endswith(image.target.lstrip("./")):
                    return shown, image.line
        anchor = failure.label.removeprefix(chapter_id(page.name)).removeprefix("--")
        heading = next((heading for heading in page.headings if heading.id == anchor), None)
        return shown, heading.line if heading else page.body_line
    return project.display(project.language_dir(language)), 0


def _form_title(content: Content, source: EditionSource) -> str:
    if not source.form:
        return ""
    page = content.page(source.language, source.form) or content.page(
        content.project.source_language.code, source.form
    )
    return page.title if page else ""


def pdf_page_counts(contents: list[Content], cache_dir: Path, jobs: int) -> list[dict[str, int]]:
    """The number of pages of each language's PDF, for each of `contents` (e.g. the text before and
    after a change). A PDF `guidelines build` made of the same text is read from the edition cache;
    the others are typeset, in parallel, only to be counted: without the preflight a build runs, so
    they are not cached for a build to reuse. A PDF that cannot be made is left out of its dictionary."""
    import pikepdf

    fingerprint = toolkit_fingerprint()
    tasks: list[tuple[int, str, EditionTask]] = []
    with tempfile.TemporaryDirectory(prefix="guidelines-pages-") as scratch:
        for index, content in enumerate(contents):
            for language in content.project.languages:
                source = build_source(content, language.code)
                output = Path(scratch) / f"{index}-{language.code}.pdf"
                tasks.append(
                    (
                        index,
                        language.code,
                        EditionTask(source, "pdf", output, source.digest(fingerprint, b"pdf")),
                    )
                )
        cache = EditionCache(cache_dir)
        pending = [task for _, _, task in tasks if cache.check(task.key, "pdf") != ""]
        if pending:
            workers = max(1, min(jobs, len(pending)))
            runs = [Job(build_pdf, (task.source, task.output), _limits(task)) for task in pending]
            for task, (made, result) in zip(pending, run_jobs(runs, workers), strict=True):
                if not made and not isinstance(result, ToolError):
                    raise result
                if not made:
                    task.output.unlink(missing_ok=True)  # not made: that edition is not counted
        counts: list[dict[str, int]] = [{} for _ in contents]
        for index, language, task in tasks:
            path = task.output if task in pending else cache.entry(task.key, "pdf")
            if not path.is_file():
                continue
            with pikepdf.open(path) as pdf:
                counts[index][language] = len(pdf.pages)
    return counts
