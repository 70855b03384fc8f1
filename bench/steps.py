"""The measured steps that need Python: each runs in a process of its own, started by run.py.

python bench/steps.py sources PROJECT OUT      # each language's edition HTML and metadata
python bench/steps.py ours-pdf SOURCES LANG PDF  # the toolkit's PDF route for one language
python bench/steps.py typst TYP ROOT PDF       # bare typst.compile() of a .typ file
python bench/steps.py build PROJECT [--no-cache]  # guidelines.build.build(), step times as JSON
"""

from __future__ import annotations

import argparse
import json
import time
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
    else:
        run_build(args.project, use_cache=not args.no_cache)


if __name__ == "__main__":
    main()
