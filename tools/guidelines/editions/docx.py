"""DOCX edition: pandoc with a reference document the toolkit generates (styles for headings, notes)."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from guidelines.editions import TEMPLATES
from guidelines.editions.document import EditionSource
from guidelines.pandoc import pandoc_path, run_pandoc

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
BODY_FONT = "Cambria"
HEADING_FONT = "Calibri"


def _border(paragraph_format_element, colour: str, side: str = "left") -> None:
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", colour)):
        edge.set(qn(key), value)
    borders.append(edge)
    paragraph_format_element.append(borders)


def _shade(paragraph_format_element, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    paragraph_format_element.append(shading)


def _paragraph_style(document, name: str):
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
        return style


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def build_reference_doc(output: Path) -> Path:
    """pandoc's default reference.docx with the guidelines' styles: A4, fonts, headings, notes, tables."""
    default = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    output.write_bytes(default)
    document = Document(str(output))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(24)
    section.top_margin, section.bottom_margin = Mm(26), Mm(24)
    _page_number_footer(section)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(11)
    for name in ("Body Text", "First Paragraph", "Compact"):
        if name in [style.name for style in styles]:
            styles[name].font.name = BODY_FONT
    for level, size in ((1, 20), (2, 14), (3, 12)):
        heading = styles[f"Heading {level}"]
        heading.font.name, heading.font.size, heading.font.color.rgb = HEADING_FONT, Pt(size), ACCENT
        heading.font.bold = True
        if level == 1:
            heading.paragraph_format.page_break_before = True
            heading.paragraph_format.space_after = Pt(18)
    for name, size in (("Title", 26), ("Subtitle", 15)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = HEADING_FONT, Pt(size), ACCENT
    styles["TOC Heading"].paragraph_format.page_break_before = True

    note_title = _paragraph_style(document, "Note Title")
    note_title.font.bold, note_title.font.color.rgb = True, ACCENT
    note_title.paragraph_format.space_before, note_title.paragraph_format.space_after = Pt(10), Pt(0)
    note_title.paragraph_format.keep_with_next = True
    note = _paragraph_style(document, "Note")
    note.paragraph_format.space_after = Pt(4)
    for style in (note_title, note):
        properties = style.element.get_or_add_pPr()
        _border(properties, "1F4E79")
        _shade(properties, "E8F0F8")
        style.paragraph_format.left_indent = Mm(3)
    document.save(str(output))
    return output


def build_docx(source: EditionSource, output: Path) -> Path:
    with tempfile.TemporaryDirectory() as work:
        reference = build_reference_doc(Path(work) / "reference.docx")
        metadata = dict(source.metadata)
        # pandoc's DOCX writer shows `date` under the title: give it the edition line.
        metadata["date"] = f"{metadata['edition-label']} {metadata['version']} · {metadata['date']}"
        if metadata.get("funding"):
            metadata["abstract"] = metadata["funding"]
            metadata["abstract-title"] = metadata.get("identity") or " "
        metadata_file = Path(work) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata), encoding="utf-8")
        run_pandoc(
            source.html,
            "docx",
            "--reference-doc",
            str(reference),
            "--lua-filter",
            str(TEMPLATES / "guidelines.lua"),
            "--metadata-file",
            str(metadata_file),
            "--toc",
            "--toc-depth=2",
            output=str(output),
            cwd=source.root,
            epoch=source.epoch,
        )
    fix_zip_dates(output, source.epoch)
    return output


def fix_zip_dates(path: Path, epoch: int | None) -> None:
    """Give every entry of the zip one date, so two builds are byte-identical. pandoc copies some
    entries from the reference document with the time python-docx wrote it."""
    if epoch is None:
        return
    moment = max(epoch, 315532800)  # zip cannot store dates before 1980
    date_time = time.gmtime(moment)[:6]
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)
