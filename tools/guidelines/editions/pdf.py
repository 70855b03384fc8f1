"""PDF edition: pandoc writes Typst with our template and filter, the `typst` package typesets it."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

import pikepdf
import typst

from guidelines.editions import TEMPLATES, EditionFailure, without_machine_paths
from guidelines.editions.document import EditionSource
from guidelines.editions.fonts import PDF_STANDARDS
from guidelines.editions.hyphenation import hyphenate_ast, needs_soft_hyphens
from guidelines.pandoc import READER, run_pandoc


def typst_source(source: EditionSource) -> str:
    text, reader = source.html, READER
    if needs_soft_hyphens(source.language):
        ast = json.loads(run_pandoc(source.html, "json", cwd=source.root, epoch=source.epoch))
        text, reader = json.dumps(hyphenate_ast(ast, source.language)), "json"
    with tempfile.TemporaryDirectory() as work:
        metadata = Path(work) / "metadata.json"
        metadata.write_text(json.dumps(source.metadata), encoding="utf-8")
        typst_text = run_pandoc(
            text,
            "typst",
            "--template",
            str(TEMPLATES / "guidelines.typ"),
            "--lua-filter",
            str(TEMPLATES / "guidelines.lua"),
            "--lua-filter",
            str(TEMPLATES / "typst-layout.lua"),
            "--metadata-file",
            str(metadata),
            "--columns",
            "100",
            cwd=source.root,
            reader=reader,
            epoch=source.epoch,
        )
    return unlink_missing_labels(typst_text)


LABEL_REFERENCE = re.compile(r"#link\(<([\w:.-]+)>\)")
LABEL = re.compile(r"(?<!#link\()<([\w:.-]+)>")


def unlink_missing_labels(text: str) -> str:
    """A link to an anchor the edition does not have becomes its plain text (`#[...]`), instead of
    stopping Typst. The checks refuse such links in the text; this catches the rare Markdown that
    pandoc and Python-Markdown read differently (brackets and backticks tangled together)."""
    defined = set(LABEL.findall(text))
    return LABEL_REFERENCE.sub(lambda match: match.group(0) if match.group(1) in defined else "#", text)


def build_pdf(source: EditionSource, output: Path) -> Path:
    """Typeset one edition; image paths in the source are relative to the project root, Typst's root."""
    text = typst_source(source)
    try:
        pdf = typst.compile(
            text.encode("utf-8"),
            root=str(source.root),
            font_paths=[],
            ignore_system_fonts=True,
            pdf_standards=PDF_STANDARDS,
            timestamp=source.epoch,
        )
    except typst.TypstError as error:
        label, image = place_in_source(text, error.diagnostic or "")
        message = "; ".join([error.message, *error.hints])
        raise EditionFailure(without_machine_paths(message, source.root), label, image) from None
    except RuntimeError as error:
        raise EditionFailure(without_machine_paths(str(error), source.root)) from None
    output.write_bytes(finish_pdf(pdf))
    return output


DIAGNOSTIC_LINE = re.compile(r"\.typ:(\d+):\d+")
HEADING_LABEL = re.compile(r"^<(ch-[\w:.-]+)>\s*$")
IMAGE_CALL = re.compile(r'#image\("([^"]+)"')


def place_in_source(text: str, diagnostic: str) -> tuple[str | None, str | None]:
    """Where Typst stopped, as the edition knows it: the label of the nearest heading above the line
    it names (a chapter's or a section's id), and the image that line loads, if any."""
    match = DIAGNOSTIC_LINE.search(diagnostic)
    if not match:
        return None, None
    lines = text.split("\n")
    index = min(int(match.group(1)), len(lines)) - 1
    image = IMAGE_CALL.search(lines[index])
    label = next(
        (found.group(1) for line in reversed(lines[: index + 1]) if (found := HEADING_LABEL.match(line))),
        None,
    )
    return label, image.group(1) if image else None


# Typst marks the glyph before each soft hyphen with an ActualText of that letter plus U+00AD (a
# ligature across it, "f\u00adl", likewise), also where no hyphen is drawn: search and copy then
# find a soft hyphen inside every hyphenatable word. Where the line does break, the drawn hyphen
# has an ActualText of U+00AD alone, and keeps it. One letter: the span goes (the glyph's own
# Unicode is the letter); otherwise the ActualText loses its soft hyphens.
SOFT_HYPHEN_LETTER = re.compile(
    rb"/Span<</ActualText<FEFF[0-9A-Fa-f]{4}00[Aa][Dd]>>>BDC((?:(?!BDC|EMC).)*)EMC", re.S
)
ACTUAL_TEXT = re.compile(rb"/ActualText<FEFF((?:[0-9A-Fa-f]{4})+)>")


def _without_soft_hyphens(match: re.Match) -> bytes:
    hexadecimal = match.group(1).upper()
    units = [hexadecimal[i : i + 4] for i in range(0, len(hexadecimal), 4)]
    letters = [unit for unit in units if unit != b"00AD"]
    if not letters or len(letters) == len(units):
        return match.group(0)
    return b"/ActualText<FEFF" + b"".join(letters) + b">"


def finish_pdf(pdf: bytes) -> bytes:
    """The PDF as published: words searchable as words, written with object streams and compressed
    (the structure tree is thousands of small objects), with an /ID computed from the content, so
    two builds of the same text stay byte-identical."""
    pikepdf.settings.set_flate_compression_level(9)
    document = pikepdf.open(io.BytesIO(pdf))
    for page in document.pages:
        for stream in page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]:
            data = stream.read_bytes()
            searchable = ACTUAL_TEXT.sub(_without_soft_hyphens, SOFT_HYPHEN_LETTER.sub(rb"\1", data))
            if searchable != data:
                stream.write(searchable)
    result = io.BytesIO()
    document.save(
        result,
        compress_streams=True,
        recompress_flate=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
    )
    return result.getvalue()
