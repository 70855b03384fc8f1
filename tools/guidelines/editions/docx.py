"""DOCX edition: pandoc with a reference document the toolkit generates (styles for headings, notes)."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import typst
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

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
    paragraph._p.append(page_field("PAGE"))


def page_field(instruction: str):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in; "1" until they do."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    return field


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
    # The contents the toolkit writes into the table-of-contents field (fill_contents).
    for level in (1, 2):
        entry = _paragraph_style(document, f"TOC {level}")
        entry.paragraph_format.left_indent = Mm(6 * (level - 1))
        entry.paragraph_format.space_after = Pt(3 if level == 2 else 6)
        entry.font.bold = level == 1
    note = _paragraph_style(document, "Note")
    note.paragraph_format.space_after = Pt(4)
    for style in (note_title, note):
        properties = style.element.get_or_add_pPr()
        _border(properties, "1F4E79")
        _shade(properties, "E8F0F8")
        style.paragraph_format.left_indent = Mm(3)
    document.save(str(output))
    return output


def build_docx(source: EditionSource, output: Path, reference: Path | None = None) -> Path:
    """The edition's DOCX, styled by `reference` (build_reference_doc's; made here when not given:
    a build makes it once and hands it to every DOCX)."""
    with tempfile.TemporaryDirectory() as work:
        reference = reference or build_reference_doc(Path(work) / "reference.docx")
        metadata = dict(source.metadata)
        # pandoc's DOCX writer shows `date` under the title: give it the edition line.
        edition = metadata.get("draft-label") or f"{metadata['edition-label']} {metadata['version']}"
        metadata["date"] = f"{edition} · {metadata['date']}"
        if metadata.get("funding"):
            metadata["abstract"] = metadata["funding"]
            metadata["abstract-title"] = metadata.get("identity") or " "
        pandoc_docx(source, reference, metadata, output, "--toc", "--toc-depth=2")
    finish_docx(output, source.epoch)
    return output


def pandoc_docx(source: EditionSource, reference: Path, metadata: dict, output: Path, *options: str) -> None:
    """The edition's HTML as a DOCX, by pandoc: the reference document's styles, the editions' filter
    and the given metadata (an edition's, or a form's title and language)."""
    with tempfile.TemporaryDirectory() as work:
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
            *options,
            output=str(output),
            cwd=source.root,
            epoch=source.epoch,
        )


def finish_docx(path: Path, epoch: int | None) -> None:
    """The DOCX as published: its table of contents filled in, a PNG beside every SVG picture, and
    every zip entry dated from SOURCE_DATE_EPOCH, so two builds are byte-identical (pandoc copies
    some entries from the reference document with the time python-docx wrote it)."""
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: (info, archive.read(info.filename)) for info in archive.infolist()}
    info, document = entries["word/document.xml"]
    document = fill_contents(document)
    document, added = add_png_fallbacks(document, entries)
    entries["word/document.xml"] = (info, document)
    moment = time.gmtime(max(epoch, 315532800))[:6] if epoch is not None else None  # zip: 1980 on
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (info, data) in [*entries.items(), *added.items()]:
            fixed = zipfile.ZipInfo(name, moment or info.date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _run(*children) -> etree._Element:
    run = etree.Element(_w("r"))
    run.extend(children)
    return run


def _field_char(kind: str) -> etree._Element:
    char = etree.Element(_w("fldChar"))
    char.set(_w("fldCharType"), kind)
    return char


def fill_contents(document: bytes) -> bytes:
    """Write the chapters and sections into pandoc's table-of-contents field, which it leaves empty
    and marked for Word to update (LibreOffice then shows an empty page, Word asks on opening).
    Each entry links to its heading; Word or LibreOffice add page numbers when the field is updated."""
    root = etree.fromstring(document)
    fields = [code for code in root.iter(_w("instrText")) if (code.text or "").lstrip().startswith("TOC")]
    instruction = fields[0] if fields else None
    if instruction is None:
        return document
    field_paragraph = instruction.getparent().getparent()
    entries = []
    bookmark = None
    for element in root.find(_w("body")):
        if element.tag == _w("bookmarkStart"):
            bookmark = element.get(_w("name"))
            continue
        style = element.find(f"{_w('pPr')}/{_w('pStyle')}") if element.tag == _w("p") else None
        level = {"Heading1": 1, "Heading2": 2}.get(style.get(_w("val")) if style is not None else "")
        if level and bookmark:
            text = "".join(t.text or "" for t in element.iter(_w("t")))
            entries.append((level, bookmark, text))
        bookmark = None
    if not entries:
        return document
    begin, separate, end = (_field_char(kind) for kind in ("begin", "separate", "end"))
    code = etree.Element(_w("instrText"))
    code.text = instruction.text
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraphs = []
    for level, anchor, text in entries:
        paragraph = etree.Element(_w("p"))
        properties = etree.SubElement(paragraph, _w("pPr"))
        etree.SubElement(properties, _w("pStyle")).set(_w("val"), f"TOC{level}")
        link = etree.SubElement(paragraph, _w("hyperlink"))
        link.set(_w("anchor"), anchor)
        label = etree.SubElement(etree.SubElement(link, _w("r")), _w("t"))
        label.text = text
        paragraphs.append(paragraph)
    paragraphs[0].insert(1, _run(begin))
    paragraphs[0].insert(2, _run(code))
    paragraphs[0].insert(3, _run(separate))
    paragraphs[-1].append(_run(end))
    parent = field_paragraph.getparent()
    position = parent.index(field_paragraph)
    parent.remove(field_paragraph)
    for offset, paragraph in enumerate(paragraphs):
        parent.insert(position + offset, paragraph)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Pictures are drawn for the DOCX at 200 pixels per inch: sharp in print, small in the file.
PNG_PPI = 200


def svg_to_png(svg: bytes) -> bytes:
    """The SVG drawn as a PNG by Typst's renderer (resvg), with the editions' fonts only, so every
    machine draws the same pixels."""
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "picture.svg").write_bytes(svg)
        source = '#set page(width: auto, height: auto, margin: 0pt)\n#image("picture.svg", width: 16cm)\n'
        return typst.compile(
            source.encode("utf-8"),
            root=work,
            font_paths=[],
            ignore_system_fonts=True,
            format="png",
            ppi=PNG_PPI,
        )


def add_png_fallbacks(document: bytes, entries: dict) -> tuple[bytes, dict]:
    """Give every SVG picture a PNG beside it (the blip's own image, with the SVG as its extension),
    as Word itself saves them: LibreOffice 7 and older Word show the PNG, newer Word the SVG."""
    relationships_name = "word/_rels/document.xml.rels"
    relationships = etree.fromstring(entries[relationships_name][1])
    targets = {rel.get("Id"): rel.get("Target") for rel in relationships}
    root = etree.fromstring(document)
    added: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
    for svg_blip in root.iter(SVG_BLIP):
        blip = svg_blip.getparent().getparent().getparent()
        svg_id = svg_blip.get(f"{{{R}}}embed")
        png_id = f"{svg_id}png"
        if blip.get(f"{{{R}}}embed") or svg_id not in targets:
            continue
        name = f"media/{svg_id}.png"
        if png_id not in targets:
            svg_info, svg = entries[f"word/{targets[svg_id]}"]
            added[f"word/{name}"] = (svg_info, svg_to_png(svg))
            relationship = etree.SubElement(relationships, f"{{{RELATIONSHIPS}}}Relationship")
            relationship.set("Type", IMAGE_RELATIONSHIP)
            relationship.set("Id", png_id)
            relationship.set("Target", name)
            targets[png_id] = name
        blip.set(f"{{{R}}}embed", png_id)
    if not added:
        return document, added
    info, _ = entries[relationships_name]
    relationships_xml = etree.tostring(relationships, xml_declaration=True, encoding="UTF-8")
    entries[relationships_name] = (info, relationships_xml)
    types_info, types = entries["[Content_Types].xml"]
    if b'Extension="png"' not in types:
        png = b'<Default Extension="png" ContentType="image/png" />'
        types = types.replace(b"<Default ", png + b"<Default ", 1)
        entries["[Content_Types].xml"] = (types_info, types)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), added
