"""The measured steps that need Python: each runs in a process of its own, started by run.py.

python bench/steps.py sources PROJECT OUT      # each language's edition HTML and metadata
python bench/steps.py ours-pdf SOURCES LANG PDF  # the toolkit's PDF route for one language
python bench/steps.py typst TYP ROOT PDF       # bare typst.compile() of a .typ file
python bench/steps.py build PROJECT [--no-cache]  # guidelines.build.build(), step times as JSON
python bench/steps.py preview PROJECT PORT RUNS  # `guidelines serve`: start-up and save-to-reload, JSON
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SOURCE_INDEX = "sources.json"


def write_sources(project_dir: Path, out: Path) -> None:
    """Each language's edition as the HTML pandoc reads (`LANG.html`) plus its metadata (`LANG.json`), the
    common input of every PDF route; prints how long the toolkit took to make each one."""
    from guidelines.content import load_or_fail
    from guidelines.editions.document import build_source
    from guidelines.project import load_project

    project = load_project(project_dir)
    content, _ = load_or_fail(project)
    out.mkdir(parents=True, exist_ok=True)
    index = {"root": str(project.root), "languages": {}}
    for language in project.languages:
        start = time.perf_counter()
        source = build_source(content, language.code)
        seconds = time.perf_counter() - start
        (out / f"{language.code}.html").write_text(source.html, encoding="utf-8")
        (out / f"{language.code}.json").write_text(json.dumps(source.metadata, ensure_ascii=False))
        index["epoch"] = source.epoch
        index["languages"][language.code] = {"seconds": seconds, "words": len(source.html.split())}
    (out / SOURCE_INDEX).write_text(json.dumps(index, indent=2))
    print(json.dumps(index))


def ours_pdf(sources: Path, language: str, output: Path) -> None:
    """`guidelines.editions.pdf.build_pdf` on one language: pandoc with our template, filter and
    soft hyphens, then typst.compile() to tagged PDF/UA-1."""
    from guidelines.editions.document import EditionSource
    from guidelines.editions.pdf import build_pdf

    index = json.loads((sources / SOURCE_INDEX).read_text())
    source = EditionSource(
        language=language,
        html=(sources / f"{language}.html").read_text(encoding="utf-8"),
        metadata=json.loads((sources / f"{language}.json").read_text()),
        images=(),  # only the cache key reads them
        root=Path(index["root"]),
        epoch=index["epoch"],
    )
    build_pdf(source, output)


def bare_typst(typ: Path, root: Path, output: Path) -> None:
    import typst

    typst.compile(str(typ), output=str(output), root=str(root))


def run_build(project_dir: Path, use_cache: bool) -> None:
    from guidelines.build import build
    from guidelines.progress import Progress
    from guidelines.project import load_project

    progress = Progress()
    result = build(load_project(project_dir), use_cache=use_cache, progress=progress)
    print(json.dumps({"timings": progress.timings, "editions": [e.file for e in result.editions]}))


# The saves measured: (name, file, page that shows the change, old text, new text written for run n).
# `{n}` makes every run's change new; a save that writes nothing new would rebuild nothing.
PREVIEW_EDITS = (
    (
        "text",
        "docs/lv/13-case-studies.md",
        "lv/13-case-studies/",
        None,
        "\n\nPriekšskatījuma rindkopa {n}: centrs pārbauda, vai jaunais teikums parādās lapā.\n",
    ),
    (
        "text, English source",
        "docs/en/06-planning-a-centre.md",
        "06-planning-a-centre/",
        None,
        "\n\nPreview paragraph {n}: the centre checks that the new sentence shows on the page.\n",
    ),
    (
        "title",
        "docs/lv/13-case-studies.md",
        "lv/13-case-studies/",
        'title: "Gadījumu izpēte Latvijā un Lietuvā"',
        'title: "Gadījumu izpēte Latvijā un Lietuvā {n}"',
    ),
    (
        "glossary",
        "docs/glossary.yml",
        "lv/annex-h-glossary/",
        "apvieno sociālos pakalpojumus",
        "apvieno sociālos pakalpojumus ({n})",
    ),
)


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _until(url: str, shown: bool, text: str, limit: float = 300) -> float:
    """Seconds until the served page holds `text` (or no longer holds it), polled every 20 ms: what a
    browser that reloads gets."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = _fetch(url)
        if page is not None and (text in page) == shown:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"the preview never {'showed' if shown else 'dropped'} {text!r} at {url}")


def preview(project_dir: Path, port: int, runs: int) -> None:
    """`guidelines serve` on the project: seconds from start until the first page is served, and from
    each save until the served page shows it. Each save is undone before the next (and its rebuild
    awaited), so every save starts from the same text."""
    from guidelines.project import load_project
    from guidelines.static_server import site_path

    base = f"http://127.0.0.1:{port}{site_path(load_project(project_dir).site_url)}"
    guidelines = Path(sys.executable).parent / "guidelines"
    results: dict = {"saves": {}}
    # The server's messages go to a file: it prints every finding at start, more than a pipe holds.
    with tempfile.TemporaryFile("w+") as messages:
        started = time.perf_counter()
        server = subprocess.Popen(
            [guidelines, "serve", "--project", project_dir, "--dev-addr", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=messages,
        )
        try:
            _until(base, True, "</html>")
            results["start_up"] = time.perf_counter() - started
            for run in range(runs):
                for name, file, page, old, new in PREVIEW_EDITS:
                    path = project_dir / file
                    text = path.read_text(encoding="utf-8")
                    written = new.format(n=f"{run}-{time.time_ns()}")
                    marker = written.strip().removeprefix('title: "').removesuffix('"')
                    edited = text + written if old is None else text.replace(old, written, 1)
                    path.write_text(edited, encoding="utf-8")
                    results["saves"].setdefault(name, []).append(_until(base + page, True, marker))
                    path.write_text(text, encoding="utf-8")
                    _until(base + page, False, marker)
        finally:
            server.terminate()
            server.wait(timeout=60)
        messages.seek(0)
        results["log"] = [line for line in messages.read().splitlines() if "rebuilt" in line]
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description="One measured step of the benchmark.")
    commands = parser.add_subparsers(dest="command", required=True)
    sources = commands.add_parser("sources")
    sources.add_argument("project", type=Path)
    sources.add_argument("out", type=Path)
    ours = commands.add_parser("ours-pdf")
    ours.add_argument("sources", type=Path)
    ours.add_argument("language")
    ours.add_argument("output", type=Path)
    bare = commands.add_parser("typst")
    bare.add_argument("typ", type=Path)
    bare.add_argument("root", type=Path)
    bare.add_argument("output", type=Path)
    serve = commands.add_parser("preview")
    serve.add_argument("project", type=Path)
    serve.add_argument("port", type=int)
    serve.add_argument("runs", type=int)
    build = commands.add_parser("build")
    build.add_argument("project", type=Path)
    build.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    if args.command == "sources":
        write_sources(args.project, args.out)
    elif args.command == "ours-pdf":
        ours_pdf(args.sources, args.language, args.output)
    elif args.command == "typst":
        bare_typst(args.typ, args.root, args.output)
    elif args.command == "preview":
        preview(args.project, args.port, args.runs)
    else:
        run_build(args.project, use_cache=not args.no_cache)


if __name__ == "__main__":
    main()
