# ruff: noqa: RUF001, RUF002, RUF003 -- the report writes sizes and ratios with "×"
"""`make bench`: the build against its peers, against the bare tools, warm, at 10× the size, and the
preview (`guidelines serve`) after a save.

Prints one Markdown report and writes it to bench/results.md. Every measured step runs as a child
process (see measure.py); timings are medians of --runs runs, memory the peak over the runs. All
temporary files go to bench/work/. See bench/README.md for what each figure means.

    python bench/run.py [--runs 3] [--large-runs 1] [--scale 10] [--only peers,limit,warm,scale,preview]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import corpus
import measure
import psutil
from pypdf import PdfReader

from guidelines.editions import FORMATS
from guidelines.pandoc import READER, pandoc_path
from guidelines.project import load_project, source_date_epoch

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "work"
STEPS = BENCH / "steps.py"
PRINT_CSS = BENCH / "print.css"
PYTHON = sys.executable
GUIDELINES = Path(sys.executable).parent / "guidelines"
SECTIONS = ("peers", "limit", "warm", "scale", "preview")
# What the figures depend on; a change to any of it during a run is reported with the results.
MEASURED = ("tools", "docs", "mkdocs.yml", "pyproject.toml")
XELATEX_MISSING = "skipped: texlive-xetex not installed"
# Growth up to this much above the growth of the content still counts as linear (timing noise).
LINEAR_SLACK = 1.15


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def seconds(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def megabytes(value: int) -> str:
    return f"{value / 1_048_576:,.0f}"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def runs_text(count: int) -> str:
    return "1 run" if count == 1 else f"median of {count} runs"


def pages(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# --- the machine and the tools ------------------------------------------------------------------


def first_line(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return (result.stdout or result.stderr).strip().splitlines()[0]


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "?"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "?"


def toolkit_revision() -> str:
    """The commit measured, and whether the toolkit or the text differed from it (read-only git)."""
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", *MEASURED],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"commit {commit}" + (" with uncommitted changes to the toolkit or the text" if changed else "")


def measured_fingerprint() -> str:
    """A hash of the toolkit, the text and the settings: what the benchmark measures."""
    sha = hashlib.sha256()
    for name in MEASURED:
        root = ROOT / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                sha.update(path.relative_to(ROOT).as_posix().encode())
                sha.update(path.read_bytes())
    return sha.hexdigest()


def machine_notes(xelatex: str | None) -> list[str]:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    xelatex_text = first_line([xelatex, "--version"]) if xelatex else "not installed"
    return [
        f"- **Machine:** {os.cpu_count()} CPUs ({cpu_model()}), "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, {platform.system()} {platform.release()}; "
        f"load average at the start: {load}.",
        f"- **Python** {platform.python_version()}; "
        f"**pandoc** {first_line([pandoc_path(), '--version']).removeprefix('pandoc ')} "
        f"(pypandoc-binary {version('pypandoc-binary')}); **Typst** Python package {version('typst')} "
        f"(in-process `typst.compile()`); **WeasyPrint** {version('weasyprint')}; "
        f"**MkDocs** {version('mkdocs')}, Material {version('mkdocs-material')}; "
        f"**XeLaTeX**: {xelatex_text}.",
    ]


# --- the projects -------------------------------------------------------------------------------


def copy_project(destination: Path) -> Path:
    """The real project's text and settings, without its site/ and cache, in a folder of our own."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    shutil.copyfile(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", destination / "docs")
    return destination


def bare_config(project_dir: Path) -> Path:
    """mkdocs.yml without the toolkit's plugin: MkDocs, Material and static-i18n alone."""
    lines, kept, skip_deeper_than = (project_dir / "mkdocs.yml").read_text().split("\n"), [], None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skip_deeper_than is not None and (not line.strip() or indent > skip_deeper_than):
            continue
        skip_deeper_than = None
        if match := re.match(r"^(\s*)- guidelines:?\s*$", line):
            skip_deeper_than = len(match.group(1))
            continue
        kept.append(line)
    path = project_dir / "mkdocs-bare.yml"
    path.write_text("\n".join(kept))
    return path


@dataclass
class Sources:
    """Each language's edition HTML (the site's rendering in one document) and metadata, as the toolkit
    makes them: the common input."""

    folder: Path
    languages: list[str]
    words: dict[str, int]
    prepare_seconds: dict[str, float]

    def html(self, language: str) -> Path:
        return self.folder / f"{language}.html"

    def metadata(self, language: str) -> Path:
        return self.folder / f"{language}.json"


def make_sources(project_dir: Path, env: dict[str, str]) -> Sources:
    folder = WORK / "sources"
    sample = measure.run([PYTHON, STEPS, "sources", project_dir, folder], env=env)
    index = json.loads(sample.stdout)
    languages = list(index["languages"])
    return Sources(
        folder,
        languages,
        {code: entry["words"] for code, entry in index["languages"].items()},
        {code: entry["seconds"] for code, entry in index["languages"].items()},
    )


# --- 1. against peers ---------------------------------------------------------------------------

Command = list[str | Path]


@dataclass
class Route:
    """One way to make a PDF of each language from the same edition HTML."""

    name: str
    steps: list[tuple[str, Callable[[str], Command]]]  # (step name, command for a language)
    output: Callable[[str], Path]
    skipped: str | None = None
    failed: str | None = None
    runs: list[dict[str, measure.Sample]] = field(default_factory=list)  # per run: step -> summed sample

    def series(self, step: str | None = None) -> measure.Series:
        if step is None:
            return measure.Series([measure.combine(list(run.values())) for run in self.runs])
        return measure.Series([run[step] for run in self.runs])


def peer_routes(sources: Sources, xelatex: str | None) -> list[Route]:
    out = WORK / "peers"
    out.mkdir(parents=True, exist_ok=True)
    pandoc = [pandoc_path(), "--from", READER]

    def pdf(route: str) -> Callable[[str], Path]:
        return lambda lang: out / f"{lang}-{route}.pdf"

    def ours(lang: str) -> Command:
        return [PYTHON, STEPS, "ours-pdf", sources.folder, lang, pdf("ours")(lang)]

    def html(lang: str) -> Command:
        return [
            *pandoc,
            *("--to", "html5", "--standalone", "--toc", "--embed-resources", "--css", PRINT_CSS),
            *("--metadata-file", sources.metadata(lang), "--output", out / f"{lang}.html"),
            sources.html(lang),
        ]

    def weasyprint(lang: str) -> Command:
        return [
            PYTHON,
            "-m",
            "weasyprint",
            "--quiet",
            "--pdf-tags",
            out / f"{lang}.html",
            pdf("weasyprint")(lang),
        ]

    def latex(lang: str) -> Command:
        # The report class with chapters: babel-latvian fails on captions under `article`.
        return [
            *pandoc,
            *("--standalone", "--toc", "--pdf-engine", xelatex or "xelatex"),
            *("--variable", "documentclass=report", "--top-level-division=chapter"),
            *("--variable", "geometry=a4paper,margin=2.4cm", "--variable", "fontsize=11pt"),
            *("--metadata-file", sources.metadata(lang), "--output", pdf("xelatex")(lang)),
            sources.html(lang),
        ]

    return [
        Route(
            "Ours: pandoc → Typst (toolkit template, filter, soft hyphens; tagged PDF/UA-1)",
            [("pandoc → Typst → PDF", ours)],
            pdf("ours"),
        ),
        Route(
            "WeasyPrint: pandoc → standalone HTML → WeasyPrint (tagged)",
            [("pandoc → HTML", html), ("WeasyPrint", weasyprint)],
            pdf("weasyprint"),
        ),
        Route(
            "pandoc → XeLaTeX",
            [("pandoc → XeLaTeX → PDF", latex)],
            pdf("xelatex"),
            skipped=None if xelatex else XELATEX_MISSING,
        ),
    ]


def run_route_once(route: Route, project_dir: Path, sources: Sources, env: dict[str, str]) -> None:
    totals: dict[str, measure.Sample] = {}
    for step, command in route.steps:
        samples = [measure.run(command(lang), cwd=project_dir, env=env) for lang in sources.languages]
        totals[step] = measure.combine(samples)
    route.runs.append(totals)


def section_peers(project_dir: Path, sources: Sources, runs: int, env: dict[str, str], xelatex: str | None):
    routes = peer_routes(sources, xelatex)
    for run in range(runs):
        for route in routes if run % 2 == 0 else reversed(routes):
            if route.skipped or route.failed:
                continue
            try:
                run_route_once(route, project_dir, sources, env)
            except measure.CommandFailed as error:
                route.failed = str(error).splitlines()[-1][:200]
                log(f"peers: {route.name} failed: {error}")
                continue
            last = route.series().samples[-1].seconds
            log(f"peers run {run + 1}/{runs}: {route.name.split(':')[0]} {last:.1f} s")
    ours = routes[0]
    ours_seconds = ours.series().seconds
    rows, details, figures = [], [], {}
    for route in routes:
        if route.skipped or route.failed:
            rows.append([route.name, route.skipped or f"failed: {route.failed}", *[""] * 6])
            continue
        series = route.series()
        counts = [pages(route.output(lang)) for lang in sources.languages]
        size = sum(route.output(lang).stat().st_size for lang in sources.languages)
        figures[route.name.split(":")[0]] = {"seconds": series.seconds, "pages": sum(counts)}
        rows.append(
            [
                route.name,
                seconds(series.seconds),
                " / ".join(map(str, counts)),
                f"{sum(counts) / series.seconds:.1f}",
                megabytes(series.process_rss),
                f"{size / 1_048_576:.1f}",
                ratio(series.seconds / ours_seconds),
                ratio((sum(counts) / series.seconds) / (figures["Ours"]["pages"] / ours_seconds)),
            ]
        )
        if len(route.steps) > 1:
            details.append(
                f"{route.name.split(':')[0]} by step: "
                + ", ".join(f"{step} {seconds(route.series(step).seconds)} s" for step, _ in route.steps)
                + "."
            )
    languages = "/".join(sources.languages)
    text = "\n\n".join(
        [
            "## 1. Against peers: one PDF per language from the same content",
            f"Each route turns the same edition HTML of each language ({languages}; "
            f"{', '.join(f'{w:,}' for w in sources.words.values())} words) into a PDF, one language after "
            f"another. Wall seconds are for all {len(sources.languages)} languages together "
            f"({runs_text(ours.series().runs)}); peak RSS is the largest process of the route.",
            table(
                [
                    "Route",
                    "Wall s",
                    f"Pages ({languages})",
                    "Pages/s",
                    "Peak RSS MB",
                    "PDF MB (all)",
                    "Time × ours",
                    "Pages/s × ours",
                ],
                rows,
            ),
            " ".join(details)
            + " Fonts differ (Typst: its bundled Libertinus Serif; WeasyPrint: the system's DejaVu Serif, "
            "which is wider), so page counts differ too: compare pages/s as well as seconds. "
            "Same page setup: A4, the same margins, 11 pt, a table of contents, each chapter on a new page.",
        ]
    )
    return text, {"ours_seconds": ours_seconds, "routes": figures}


# --- 2. against the limit -----------------------------------------------------------------------


def manifest_sha256(project_dir: Path) -> dict[str, tuple[str, str]]:
    manifest = json.loads((project_dir / "site" / "downloads" / "manifest.json").read_text())
    return {entry["sha256"]: (entry["language"], entry["format"]) for entry in manifest}


def section_limit(project_dir: Path, sources: Sources, runs: int, env: dict[str, str]):
    config = bare_config(project_dir)
    out = WORK / "bare"
    out.mkdir(parents=True, exist_ok=True)
    pandoc = [pandoc_path(), "--from", READER]

    def bare_commands(lang: str) -> dict[str, Command]:
        typ = project_dir / f"bare-{lang}.typ"  # beside docs/, so Typst finds the images
        source = ["--metadata-file", sources.metadata(lang), sources.html(lang)]
        return {
            "pandoc → Typst": [*pandoc, "--to", "typst", "--standalone", "--output", typ, *source],
            "typst.compile()": [PYTHON, STEPS, "typst", typ, project_dir, out / f"{lang}.pdf"],
            "pandoc → DOCX": [*pandoc, "--to", "docx", "--toc", "--output", out / f"{lang}.docx", *source],
            "pandoc → EPUB": [*pandoc, "--to", "epub3", "--toc", "--output", out / f"{lang}.epub", *source],
        }

    def bare_once() -> dict[str, measure.Sample]:
        shutil.rmtree(out / "site", ignore_errors=True)
        mkdocs = [
            PYTHON,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "--config-file",
            config,
            "--site-dir",
            out / "site",
        ]
        steps = {"mkdocs build": [measure.run(mkdocs, cwd=project_dir, env=env)]}
        for lang in sources.languages:
            for step, command in bare_commands(lang).items():
                steps.setdefault(step, []).append(measure.run(command, cwd=project_dir, env=env))
        return {step: measure.combine(samples) for step, samples in steps.items()}

    ours_command = [GUIDELINES, "build", "--no-cache", "--quiet", "--project", project_dir]
    bare_runs: list[dict[str, measure.Sample]] = []
    ours_samples: list[measure.Sample] = []
    for run in range(runs):
        order = ("bare", "ours") if run % 2 == 0 else ("ours", "bare")
        for which in order:
            if which == "bare":
                bare_runs.append(bare_once())
                total = measure.combine(list(bare_runs[-1].values())).seconds
                log(f"limit run {run + 1}/{runs}: bare tools {total:.1f} s")
            else:
                ours_samples.append(measure.run(ours_command, cwd=project_dir, env=env))
                total = ours_samples[-1].seconds
                log(f"limit run {run + 1}/{runs}: guidelines build --no-cache {total:.1f} s")

    def bare_series(steps: list[str]) -> measure.Series:
        return measure.Series([measure.combine([run[step] for step in steps]) for run in bare_runs])

    site_pdf = ["mkdocs build", "pandoc → Typst", "typst.compile()"]
    everything = list(bare_runs[0])
    ours = measure.Series(ours_samples)
    rows = [
        [
            f"bare: {step}" + ("" if step == "mkdocs build" else f" × {len(sources.languages)}"),
            seconds(bare_series([step]).seconds),
            seconds(bare_series([step]).cpu_seconds),
            megabytes(bare_series([step]).process_rss),
            "",
        ]
        for step in everything
    ]
    limit_pdf, limit_all = bare_series(site_pdf), bare_series(everything)
    rows += [
        [
            "**bare tools: site + PDF**, in sequence",
            seconds(limit_pdf.seconds),
            seconds(limit_pdf.cpu_seconds),
            megabytes(limit_pdf.process_rss),
            "1.00×",
        ],
        [
            "**bare tools: site + PDF + DOCX + EPUB**, in sequence",
            seconds(limit_all.seconds),
            seconds(limit_all.cpu_seconds),
            megabytes(limit_all.process_rss),
            "1.00×",
        ],
        [
            "**`guidelines build --no-cache`** (checks, 9 editions in parallel, site)",
            seconds(ours.seconds),
            seconds(ours.cpu_seconds),
            f"{megabytes(ours.process_rss)} (all processes: {megabytes(ours.tree_rss)})",
            f"{ratio(ours.seconds / limit_pdf.seconds)} / {ratio(ours.seconds / limit_all.seconds)}",
        ],
    ]
    text = "\n\n".join(
        [
            "## 2. Against the limit: the bare tools, one after another",
            "The bare tools get the same edition HTML as the toolkit and run with their defaults: "
            "`mkdocs build` of the same mkdocs.yml without the toolkit's plugin (so no glossary tables, "
            "downloads panel, per-language search or banners), pandoc's default Typst, DOCX and EPUB "
            "writers, `typst.compile()` with default options (untagged). The toolkit's build also checks "
            "the content, makes the edition HTML, soft-hyphenates Latvian, builds the reference DOCX, "
            "tags the PDF (PDF/UA-1), and stages and swaps the site. "
            f"{runs_text(ours.runs).capitalize()}, bare and toolkit runs interleaved.",
            table(
                ["What", "Wall s", "CPU s", "Peak RSS MB", "Toolkit ÷ bare, wall (site+PDF / all outputs)"],
                rows,
            ),
            f"**Our overhead:** the full build takes {ratio(ours.seconds / limit_pdf.seconds)} the time of "
            f"the bare site + PDF tools run in sequence, and {ratio(ours.seconds / limit_all.seconds)} the "
            "time of the bare tools making the same outputs (site, PDF, DOCX and EPUB per language). "
            "Below 1.00× means the parallel editions more than pay for the toolkit's own work. "
            f"In CPU time (user + system of every process, which other jobs on the machine barely change) "
            f"the build does {ratio(ours.cpu_seconds / limit_all.cpu_seconds)} the work of the bare tools "
            "making the same outputs: that is the toolkit's own cost, which the parallel editions hide. "
            f"Wall seconds of each run: bare (all outputs) {limit_all.spread}; toolkit {ours.spread}.",
        ]
    )
    figures = {
        "ours_seconds": ours.seconds,
        "bare_site_pdf": limit_pdf.seconds,
        "bare_all": limit_all.seconds,
        "ratio_site_pdf": ours.seconds / limit_pdf.seconds,
        "ratio_all": ours.seconds / limit_all.seconds,
        "cpu_ratio_all": ours.cpu_seconds / limit_all.cpu_seconds,
        "ours_tree_rss": ours.tree_rss,
    }
    return text, figures


# --- 3. warm rebuild ----------------------------------------------------------------------------


def build_with_timings(project_dir: Path, env: dict[str, str], *extra: str) -> tuple[measure.Sample, dict]:
    sample = measure.run([PYTHON, STEPS, "build", project_dir, *extra], cwd=project_dir, env=env)
    return sample, json.loads(sample.stdout)["timings"]


def editions_label(timings: dict[str, float]) -> tuple[str, float]:
    return next((label, value) for label, value in timings.items() if label.startswith("editions"))


def median_steps(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median time of each step over runs, by step name ("editions: 3 built, …" is "editions")."""
    steps: dict[str, list[float]] = {}
    for timings in runs:
        for label, value in timings.items():
            steps.setdefault(label.split(":")[0], []).append(value)
    return {step: statistics.median(values) for step, values in steps.items()}


def editions_summary(runs: list[dict[str, float]]) -> str:
    """What the build said about its editions, e.g. "3 built, 6 reused" (all distinct answers)."""
    return "; ".join(sorted({editions_label(timings)[0].removeprefix("editions: ") for timings in runs}))


def section_warm(project_dir: Path, runs: int, env: dict[str, str], cold_seconds: float | None):
    cache = project_dir / ".cache" / "editions"
    # All of the toolkit's caches (editions, and the record of what the site was built from) go.
    shutil.rmtree(project_dir / ".cache", ignore_errors=True)
    cold, cold_timings = build_with_timings(project_dir, env)
    log(f"warm: cold build, empty cache {cold.seconds:.1f} s")
    cold_reference = cold_seconds if cold_seconds is not None else cold.seconds
    reference_text = (
        "the median `guidelines build --no-cache` of section 2"
        if cold_seconds is not None
        else "the cold build with an empty cache"
    )
    warm_samples, warm_timings = [], []
    for run in range(runs):
        sample, timings = build_with_timings(project_dir, env)
        warm_samples.append(sample)
        warm_timings.append(timings)
        log(f"warm run {run + 1}/{runs}: {sample.seconds:.1f} s ({editions_label(timings)[0]})")
    project = load_project(project_dir)
    language = next(lang.code for lang in project.languages if not lang.is_source)
    chapter = project.edition_files[len(project.edition_files) // 2].file
    edited = project.language_dir(language) / chapter
    edit_samples, edit_timings, rebuilt_sets = [], [], []
    for run in range(runs):
        before = {path.name for path in cache.iterdir()}
        with edited.open("a", encoding="utf-8") as handle:
            handle.write(f"\nLabojums {run + 1} etalonuzdevumam.\n")
        sample, timings = build_with_timings(project_dir, env)
        new = [path for path in cache.iterdir() if path.name not in before]
        by_hash = manifest_sha256(project_dir)
        rebuilt = sorted(
            by_hash.get(hashlib.sha256(path.read_bytes()).hexdigest(), ("?", path.suffix)) for path in new
        )
        edit_samples.append(sample)
        edit_timings.append(timings)
        rebuilt_sets.append(rebuilt)
        said = editions_label(timings)[0]
        log(f"edit run {run + 1}/{runs}: {sample.seconds:.1f} s ({said}; new in the cache: {rebuilt})")
    warm, edit = measure.Series(warm_samples), measure.Series(edit_samples)
    expected = sorted((language, fmt) for fmt in FORMATS)
    only_that_language = all(rebuilt == expected for rebuilt in rebuilt_sets)
    warm_steps = median_steps(warm_timings)
    warm_steps["other (start-up, edition sources, staging)"] = warm.seconds - sum(warm_steps.values())
    warm_fraction = warm.seconds / cold_reference
    site_labels = sorted({label for timings in warm_timings for label in timings if label.startswith("site")})
    site_text = (
        "The site is rebuilt in full on every build."
        if site_labels == ["site"]
        else f'The build reported "{"; ".join(site_labels)}" for the site.'
    )
    rows = []
    if cold_seconds is not None:
        editions = len(project.languages) * len(FORMATS)
        rows.append(
            [
                "cold: `guidelines build --no-cache` (section 2)",
                seconds(cold_seconds),
                "1.00",
                f"{editions} built",
            ]
        )
    rows += [
        [
            "cold: `guidelines build`, empty cache (1 run: fills the cache, noisier)",
            seconds(cold.seconds),
            f"{cold.seconds / cold_reference:.2f}",
            editions_label(cold_timings)[0].removeprefix("editions: "),
        ],
        [
            "**warm: nothing changed**",
            seconds(warm.seconds),
            f"**{warm_fraction:.2f}** (target < 0.20)",
            editions_summary(warm_timings),
        ],
        [
            f"one chapter edited: `docs/{language}/{chapter}`",
            seconds(edit.seconds),
            f"{edit.seconds / cold_reference:.2f}",
            editions_summary(edit_timings),
        ],
    ]
    verdict = "meets" if warm_fraction < 0.2 else "misses"
    text = "\n\n".join(
        [
            "## 3. Warm rebuild",
            f"Fractions are of {reference_text} ({seconds(cold_reference)} s). "
            f"{runs_text(runs).capitalize()}; each edit run appends one sentence to the chapter, "
            "so every run has new text to build.",
            table(["Build", "Wall s", "Fraction of cold", "Editions"], rows),
            f"The warm build {verdict} the 0.2 target. Where its time goes (median): "
            + ", ".join(f"{step} {seconds(value)} s" for step, value in warm_steps.items())
            + f". {site_text} The editions step only hashes the sources and copies the cached files.",
            f'After each edit the build\'s own report said "editions: {editions_summary(edit_timings)}", '
            "and the new "
            f"cache entries were, by the checksums in the manifest: "
            f"{'; '.join(', '.join(f'{lang} {fmt}' for lang, fmt in rebuilt) for rebuilt in rebuilt_sets)}. "
            + (
                f"**Verified:** only the {language} editions were rebuilt."
                if only_that_language
                else "**Not as expected:** other editions were rebuilt too."
            ),
        ]
    )
    figures = {
        "warm_fraction": warm_fraction,
        "edit_fraction": edit.seconds / cold_reference,
        "edit_only_language": only_that_language,
    }
    return text, figures


# --- 4. scale -----------------------------------------------------------------------------------


def section_scale(runs: int, large_runs: int, scale: int, env: dict[str, str]):
    sizes = {1: runs, scale: large_runs}
    results = {}
    for factor, repeat in sizes.items():
        folder = WORK / f"corpus-{factor}x"
        start = time.perf_counter()
        words = corpus.write_corpus(ROOT, folder, factor)
        generated = time.perf_counter() - start
        log(f"scale {factor}×: corpus written in {generated:.1f} s ({words})")
        samples, step_timings = [], []
        for run in range(repeat):
            sample, timings = build_with_timings(folder, env, "--no-cache")
            samples.append(sample)
            step_timings.append(timings)
            steps_text = ", ".join(f"{label} {value:.1f} s" for label, value in timings.items())
            log(f"scale {factor}× run {run + 1}/{repeat}: {sample.seconds:.1f} s ({steps_text})")
        steps = median_steps(step_timings)
        pdfs = sorted((folder / "site" / "downloads").glob("*.pdf"))
        results[factor] = {
            "words": words,
            "series": measure.Series(samples),
            "steps": steps,
            "pages": sum(pages(pdf) for pdf in pdfs),
            "pdf_bytes": sum(pdf.stat().st_size for pdf in pdfs),
            "generated": generated,
        }
    small, large = results[1], results[scale]
    growth_content = sum(large["words"].values()) / sum(small["words"].values())
    rows, growth = [], {}
    for step in small["steps"]:
        factor = large["steps"][step] / small["steps"][step]
        growth[step] = factor
        verdict = "yes" if factor <= growth_content * LINEAR_SLACK else "**no: faster than linear**"
        rows.append(
            [step, seconds(small["steps"][step]), seconds(large["steps"][step]), f"{factor:.1f}×", verdict]
        )
    total_small, total_large = small["series"].seconds, large["series"].seconds
    total_growth = total_large / total_small
    growth["whole build"] = total_growth
    cpu_small, cpu_large = small["series"].cpu_seconds, large["series"].cpu_seconds
    growth["CPU"] = cpu_large / cpu_small
    for name, small_value, large_value in (
        ("**whole build**, wall (with start-up)", total_small, total_large),
        ("**whole build, CPU s** (user + system, all processes)", cpu_small, cpu_large),
    ):
        factor = large_value / small_value
        rows.append(
            [
                name,
                seconds(small_value),
                seconds(large_value),
                f"**{factor:.1f}×**",
                "yes" if factor <= growth_content * LINEAR_SLACK else "**no: faster than linear**",
            ]
        )
    for name, attribute in (
        ("peak RSS, all processes, MB", "tree_rss"),
        ("peak RSS, largest process, MB", "process_rss"),
    ):
        small_value, large_value = getattr(small["series"], attribute), getattr(large["series"], attribute)
        rows.append(
            [name, megabytes(small_value), megabytes(large_value), f"{large_value / small_value:.1f}×", ""]
        )
    rows.append(
        [
            "PDF pages, all languages",
            str(small["pages"]),
            str(large["pages"]),
            f"{large['pages'] / small['pages']:.1f}×",
            "",
        ]
    )
    rows.append(
        [
            "PDF MB, all languages",
            f"{small['pdf_bytes'] / 1_048_576:.1f}",
            f"{large['pdf_bytes'] / 1_048_576:.1f}",
            f"{large['pdf_bytes'] / small['pdf_bytes']:.1f}×",
            "",
        ]
    )
    words_text = ", ".join(
        f"{code} {small['words'][code]:,} → {large['words'][code]:,}" for code in small["words"]
    )
    text = "\n\n".join(
        [
            f"## 4. Scale: 1× and {scale}× the guidelines",
            f"`bench/corpus.py` wrote synthetic projects at 1× and {scale}× the real size "
            f"(words per language: {words_text}; content grows {growth_content:.1f}×) in "
            f"{small['generated']:.1f} s and {large['generated']:.1f} s. Each size is built with "
            "`guidelines build --no-cache`; the step times are the build's own. "
            f"{runs_text(runs).capitalize()} at 1×, **{runs_text(large_runs)} at {scale}×**"
            + (f" (fewer: one {scale}× build takes minutes)." if large_runs < runs else "."),
            table(
                ["Step", "1× s", f"{scale}× s", "Growth", f"At most linear (≤ {growth_content:.1f}× ±15%)?"],
                rows,
            ),
            f"Wall seconds of each build: 1× {small['series'].spread}; {scale}× {large['series'].spread}. "
            "CPU seconds are the steadier measure of growth when other jobs share the machine; the step "
            "times are wall times of the build's own steps.",
        ]
    )
    figures = {
        "growth": growth,
        "content_growth": growth_content,
        "large_tree_rss": large["series"].tree_rss,
        "large_process_rss": large["series"].process_rss,
        "large_pages": large["pages"],
    }
    return text, figures


# --- the whole run ------------------------------------------------------------------------------


# --- 5. preview ---------------------------------------------------------------------------------

PREVIEW_PORT = 8731
# What the issue asks of the preview: a one-paragraph edit on screen in at most this fraction of a
# full `mkdocs build` of the site with the toolkit's plugin.
PREVIEW_TARGET = 0.3


def section_preview(project_dir: Path, runs: int, env: dict[str, str]):
    """`guidelines serve`: start-up and save-to-reload against a full `mkdocs build` with the plugin,
    the full builds before and after the preview's runs."""
    full_site = WORK / "preview-full-site"
    mkdocs = [PYTHON, "-m", "mkdocs", "build", "--quiet", "--config-file", project_dir / "mkdocs.yml"]
    builds: list[measure.Sample] = []

    def full_builds(count: int) -> None:
        for _ in range(count):
            shutil.rmtree(full_site, ignore_errors=True)
            builds.append(measure.run([*mkdocs, "--site-dir", full_site], cwd=project_dir, env=env))
            log(f"preview: full mkdocs build {builds[-1].seconds:.1f} s")

    full_builds((runs + 1) // 2)
    sample = measure.run(
        [PYTHON, STEPS, "preview", project_dir, PREVIEW_PORT, runs], cwd=project_dir, env=env
    )
    result = json.loads(sample.stdout)
    log(f"preview: start-up {result['start_up']:.1f} s, saves {result['saves']}")
    full_builds(runs - (runs + 1) // 2)
    full = measure.Series(builds)
    saves = {name: statistics.median(values) for name, values in result["saves"].items()}
    rows = [["full `mkdocs build` of the site, with the plugin", seconds(full.seconds), "1.00", full.spread]]
    rows.append(
        [
            "preview start-up (checks, whole site, first page served)",
            seconds(result["start_up"]),
            f"{result['start_up'] / full.seconds:.2f}",
            "1 run",
        ]
    )
    for name, values in result["saves"].items():
        rows.append(
            [
                f"save → page shows it: {name}",
                seconds(saves[name]),
                f"{saves[name] / full.seconds:.2f}",
                ", ".join(f"{value:.2f}" for value in sorted(values)),
            ]
        )
    text_fraction = saves["text"] / full.seconds
    verdict = "meets" if text_fraction <= PREVIEW_TARGET else "**misses**"
    text = "\n\n".join(
        [
            "## 5. Preview: a save on screen",
            "`guidelines serve` on the copy of the project: the start-up (every check, the whole site, until "
            "the first page is served) and, for each kind of save, the seconds from writing the file until "
            "the served page holds the change (polled every 20 ms, as a reloading browser gets it; the "
            "watcher, the checks of the saved file and the rebuild of the pages it changed are in it). "
            "Each save is undone, and that rebuild awaited, before the next. Saves: a paragraph appended to "
            "a Latvian chapter (`docs/lv/13-case-studies.md`), a paragraph appended to an English chapter "
            "(its translations' banners and the translation status pages change too), the Latvian "
            "chapter's title (every Latvian page's navigation changes), and a glossary definition (the "
            "glossary page in every language). Against a full `mkdocs build` of the same project with the "
            f"toolkit's plugin, {runs_text(full.runs)} in the same run, before and after the preview's "
            f"runs; saves are the {runs_text(runs)} each.",
            table(["What", "Wall s", "× full build", "Each run, s"], rows),
            f"**Target:** a one-paragraph edit on screen in ≤ {PREVIEW_TARGET:.1f}× a full build: "
            f"{text_fraction:.2f}×, {verdict} it.",
        ]
    )
    figures = {
        "full": full.seconds,
        "start_up": result["start_up"],
        "saves": saves,
        "text_fraction": text_fraction,
    }
    return text, figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the build; print and save a Markdown report.")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each timing (median reported)")
    parser.add_argument("--large-runs", type=int, default=1, help="repetitions of the large-scale build")
    parser.add_argument("--scale", type=int, default=10, help="size of the large synthetic project")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}"
    )
    parser.add_argument("--output", type=Path, default=BENCH / "results.md")
    args = parser.parse_args()
    sections = [name.strip() for name in args.only.split(",") if name.strip()]
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    # One date for every output, taken from the real project, so no step asks git.
    epoch = source_date_epoch(ROOT) or int(time.time())
    env = measure.environment(SOURCE_DATE_EPOCH=str(epoch), NO_MKDOCS_2_WARNING="1")
    xelatex = shutil.which("xelatex")
    notes = machine_notes(xelatex)
    revision, fingerprint = toolkit_revision(), measured_fingerprint()
    project_dir = copy_project(WORK / "project")
    sources = make_sources(project_dir, env) if {"peers", "limit"} & set(sections) else None
    runners = {
        "peers": ("1. against peers", lambda: section_peers(project_dir, sources, args.runs, env, xelatex)),
        "limit": ("2. against the limit", lambda: section_limit(project_dir, sources, args.runs, env)),
        "warm": (
            "3. warm rebuild",
            lambda: section_warm(project_dir, args.runs, env, figures.get("limit", {}).get("ours_seconds")),
        ),
        "scale": ("4. scale", lambda: section_scale(args.runs, args.large_runs, args.scale, env)),
        "preview": ("5. preview", lambda: section_preview(project_dir, args.runs, env)),
    }
    parts, figures, failed = [], {}, []
    for name in SECTIONS:
        if name not in sections:
            continue
        title, runner = runners[name]
        log(title)
        try:
            text, figures[name] = runner()
        except measure.CommandFailed as error:
            # One failed section (a tool missing, memory exhausted) still leaves the others' figures.
            log(f"{title} failed: {error}")
            failed.append(name)
            text = f"## {title}\n\n**Failed:**\n\n```\n{error}\n```"
        parts.append(text)

    elapsed = time.perf_counter() - started
    notes.append(
        f"- **Toolkit measured:** {revision}."
        if measured_fingerprint() == fingerprint
        else f"- **Toolkit measured:** {revision} at the start, {toolkit_revision()} at the end: the toolkit "
        "or the text changed during the run, so sections may have measured different versions."
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    header = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Made by `make bench` (`bench/run.py`) on {dt.date.today().isoformat()} in "
            f"{elapsed / 60:.1f} min; load average at the end: {load}. Absolute times drift on this shared "
            "machine: read the ratios. Timings are medians of repeated runs (counts given per section); "
            "memory is the peak resident set size (RSS) over the runs.",
            "",
            *notes,
            "",
            summary(figures),
        ]
    )
    report = "\n\n".join([header, *parts]) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    log(f"written to {args.output} in {elapsed:.0f} s")
    if failed:
        sys.exit(f"bench: sections failed: {', '.join(failed)}")


def summary(figures: dict) -> str:
    lines = ["## Key figures", ""]
    if peers := figures.get("peers"):
        for name, route in peers["routes"].items():
            if name != "Ours":
                times = ratio(route["seconds"] / peers["ours_seconds"])
                lines.append(f"- {name} takes {times} the time of our PDF route.")
    if limit := figures.get("limit"):
        lines.append(
            f"- The full build takes {ratio(limit['ratio_site_pdf'])} the time of the bare site + PDF "
            f"tools in sequence ({ratio(limit['ratio_all'])} against the bare tools making the same outputs; "
            f"in CPU time, {ratio(limit['cpu_ratio_all'])})."
        )
    if warm := figures.get("warm"):
        lines.append(
            f"- A warm rebuild takes {warm['warm_fraction']:.2f} of a cold one (target < 0.20); "
            f"after editing one chapter, {warm['edit_fraction']:.2f}"
            + (", with only that language's editions rebuilt." if warm["edit_only_language"] else ".")
        )
    if scale := figures.get("scale"):
        growth = scale["growth"]
        lines.append(
            f"- At {scale['content_growth']:.1f}× the content: "
            + ", ".join(f"{step} {value:.1f}×" for step, value in growth.items())
            + " (wall; CPU is user + system time)"
            + f"; peak RSS {megabytes(scale['large_tree_rss'])} MB over all processes, "
            f"{megabytes(scale['large_process_rss'])} MB in the largest; {scale['large_pages']:,} PDF pages."
        )
    if preview := figures.get("preview"):
        saves = preview["saves"]
        lines.append(
            f"- The preview shows a one-paragraph edit in {preview['text_fraction']:.2f}× a full "
            f"`mkdocs build` (target ≤ {PREVIEW_TARGET:.1f}×): {seconds(saves['text'])} s against "
            f"{seconds(preview['full'])} s; a title {seconds(saves['title'])} s, a glossary definition "
            f"{seconds(saves['glossary'])} s, "
            f"start-up {seconds(preview['start_up'])} s."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
