"""Build every edition (language by format) in parallel, reusing unchanged ones by content hash."""

from __future__ import annotations

import contextlib
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
from guidelines.editions.docx import build_docx, build_reference_doc
from guidelines.editions.epub import build_epub
from guidelines.editions.epubcheck import check_epubs
from guidelines.editions.forms import (
    FORM_FORMATS,
    build_form,
    form_file_name,
    form_reference_doc,
    form_sources,
)
from guidelines.editions.manifest import CHECKSUMS, MANIFEST, EditionFile
from guidelines.editions.pdf import build_pdf
from guidelines.editions.preflight import check_edition
from guidelines.editions.workers import Job, Limits, Skipped, run_jobs
from guidelines.findings import Finding, FindingsError, Severity, ToolError, has_errors
from guidelines.progress import Progress

LONGEST_FIRST = ("pdf", "epub", "docx")


@dataclass(eq=False)
class EditionTask:
    source: EditionSource
    format: str
    output: Path
    key: str  # content hash of everything the file is made from


def _build_one(source: EditionSource, fmt: str, output: Path, reference: Path | None) -> list[Finding]:
    """Make one edition file and run its preflight (editions/preflight.py) in the same worker (an
    EPUB's runs once for all of them, _check_epubs); a DOCX takes its styles from `reference`, the
    build's reference document for it."""
    if source.form:
        build_form(source, fmt, output, reference)
    elif fmt == "docx":
        build_docx(source, output, reference)
    elif fmt == "pdf":
        build_pdf(source, output)
    else:
        build_epub(source, output)
    return check_edition(source, fmt, output)


def _reference_docs(pending: list[EditionTask], folder: Path) -> dict[str, Path]:
    """The reference documents the pending DOCX files are styled by, made once for the build in
    `folder`: the editions' (key ""), and the forms' of each language (key: the language), which
    adds the language's header to it. A DOCX not pending needs none."""
    references: dict[str, Path] = {}
    docx = [task for task in pending if task.format == "docx"]
    if docx:
        references[""] = build_reference_doc(folder / "reference.docx")
    for task in docx:
        language = task.source.language
        if task.source.form and language not in references:
            references[language] = form_reference_doc(
                folder / f"reference-form-{language}.docx", task.source, references[""]
            )
    return references


def build_editions(
    content: Content,
    out_dir: Path,
    *,
    jobs: int,
    cache_dir: Path | None,
    progress: Progress | None = None,
    preflight: list[Finding] | None = None,
    cache_entries: set[str] | None = None,
) -> list[EditionFile]:
    """Write every language's PDF, DOCX and EPUB into `out_dir`, with a manifest and SHA-256 sums.

    Every file made is preflighted; its warnings are added to `preflight`, and any error raises
    FindingsError before the file is cached (a file reused from the cache passed when it was made).
    The first failure of a language ends that language's other editions (made or not, the build
    fails); the build reports once every language has failed or finished. `cache_entries` gets the
    names of the cache entries this build's files are (the ones a successful build keeps)."""
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
    if cache is not None and cache_entries is not None:
        cache_entries.update(cache.entry(task.key, task.format).name for task in tasks)
    # While this build reads and writes the cache, no other command prunes it.
    with cache.in_use() if cache is not None else contextlib.nullcontext():
        damaged, outcomes, failed = _make_pending(content, tasks, cache, jobs, out_dir, progress)
    reported = damaged + [finding for index in sorted(outcomes) for finding in outcomes[index]]
    if failed:  # every language's failures, in one run; the editions made are cached for the next
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


def _make_pending(
    content: Content,
    tasks: list[EditionTask],
    cache: EditionCache | None,
    jobs: int,
    out_dir: Path,
    progress: Progress,
) -> tuple[list[Finding], dict[int, list[Finding]], set[int]]:
    """Reuse what the cache holds, make the rest, cache what was made and passed: the warnings about
    damaged entries, each made edition's findings (by index in the pending editions) and which failed."""
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
            # Beside the downloads, in the build's staging folder: a killed build leaves nothing in /tmp.
            scratch = Path(tempfile.mkdtemp(prefix=".work-", dir=out_dir.parent))
            try:
                references = _reference_docs(pending, scratch)
                runs = [
                    Job(
                        _build_one,
                        (task.source, task.format, task.output, _reference_for(task, references)),
                        _limits(task),
                        group=task.source.language,
                    )
                    for task in pending
                ]
                results = run_jobs(runs, max(1, min(jobs, len(pending))), scratch, failed=_failure)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            outcomes = _outcomes(content, pending, results)
            _check_epubs(content, pending, outcomes, progress)
            failed = {index for index, findings in outcomes.items() if has_errors(findings)}
        if cache is not None:
            for task in tasks:
                if task not in pending:
                    _reuse(cache, task)
                elif (index := pending.index(task)) in outcomes and index not in failed:
                    cache.store(task.key, task.format, task.output)
    return damaged, outcomes, failed


def _check_epubs(
    content: Content,
    pending: list[EditionTask],
    outcomes: dict[int, list[Finding]],
    progress: Progress,
) -> None:
    """EPUBCheck on every EPUB made, each within the time of its edition: its findings join each
    EPUB's outcome."""
    made = [
        index
        for index, task in enumerate(pending)
        if task.format == "epub" and index in outcomes and not has_errors(outcomes[index])
    ]
    if not made:
        return
    paths = [pending[index].output for index in made]
    seconds = max(_limits(pending[index]).seconds for index in made)
    with progress.step(f"EPUBCheck: {len(paths)} EPUB{'s' if len(paths) > 1 else ''}"):
        try:
            checked = check_epubs(paths, seconds)
        except ToolError as error:
            for index in made:
                outcomes[index] = [_failed(content, pending[index], error, "checked by EPUBCheck")]
            return
    for index in made:
        outcomes[index] = outcomes[index] + checked[pending[index].output]


def _failure(outcome: tuple[bool, object]) -> bool:
    """Whether an edition's outcome fails the build: its engine failed, or its preflight found errors."""
    made, result = outcome
    return not made or has_errors(result)


def _reference_for(task: EditionTask, references: dict[str, Path]) -> Path | None:
    if task.format != "docx":
        return None
    return references[task.source.language if task.source.form else ""]


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
        if isinstance(result, Skipped):  # another edition of its language failed first
            continue
        if made:
            outcomes[index] = result
            continue
        if not isinstance(result, ToolError):
            raise result
        outcomes[index] = [_failed(content, task, result, "made")]
    return outcomes


def _failed(content: Content, task: EditionTask, error: ToolError, what: str) -> Finding:
    """An edition that could not be made (or checked: `what`), named at the place in the text where
    its engine stopped, as far as the engine said."""
    failure = error if isinstance(error, EditionFailure) else EditionFailure(str(error))
    language = task.source.language
    path, line = _place(content, language, failure)
    message = without_machine_paths(failure.message, content.project.root)
    edition = f"the {language} {task.format.upper()}"
    return Finding(path, line, "EDITION", f"{edition} could not be {what}: {message}")


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
    cache = EditionCache(cache_dir)
    # The cache's shared lock until the last page is counted: no build prunes a PDF read here.
    with tempfile.TemporaryDirectory(prefix="guidelines-pages-") as scratch, cache.in_use():
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
