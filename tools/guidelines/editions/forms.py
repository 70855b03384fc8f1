"""Forms on their own: each page marked `form: true` (an annex that is a checklist, survey or template)
is also published per language as a DOCX to fill in on screen and an A4 PDF to print and fill in by hand.

One form is its page's chapter exactly as the edition has it (editions/document.py, chapters.py: the
HTML the site renders, never the Markdown), made by the editions' own pandoc and Typst code:
- the PDF is the edition's Typst template in its `form` mode (no title page or contents; the
  guidelines, edition and page in the margins) and the layout filter's: every empty table cell gets
  a row at least 8 mm high and its column room for handwriting;
- the DOCX is pandoc's, with the edition's styles and a header and footer naming the guidelines, the
  edition and the page; then its tables get grid lines, fixed column widths (the columns to fill in
  wide) and rows at least 1 cm high where a cell is empty, and every ☐ or ☑ becomes a Word checkbox
  content control (LibreOffice 7.4 and later read it as one too, showing ☐ or ☒).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree

from guidelines.content import Content
from guidelines.editions.chapters import is_annex
from guidelines.editions.document import EditionSource, build_source, edition_title, metadata_text
from guidelines.editions.docx import build_reference_doc, finish_docx, page_field, pandoc_docx
from guidelines.editions.pdf import build_pdf

FORM_FORMATS = ("pdf", "docx")


def form_file_name(name: str, language: str, stem: str, version: str, date: str, extension: str) -> str:
    """e.g. octopus-guidelines-lv-annex-b-needs-assessment-1.1-2026-11-23.docx: a copy passed on says
    which guidelines, language, form and edition it comes from."""
    return f"{name}-{language}-{stem}-{version}-{date}.{extension}"


def form_sources(content: Content, language: str) -> list[EditionSource]:
    """One source per form of the language's edition (an untranslated form falls back, as in the
    edition): the page's chapter alone, with the form's title and the guidelines' as metadata."""
    project = content.project
    edition = f"{project.site_url}{language}/{project.version}"
    annexes = [page.name for page in content.edition_pages(language) if is_annex(page)]
    sources = []
    for page in content.form_pages(language):
        source = build_source(content, language, [page])
        metadata = dict(source.metadata)
        metadata.update(
            {
                "guidelines": metadata["title"],
                # The same title as written, for the DOCX header (python-docx writes text, not Markdown).
                "guidelines-text": edition_title(content, language),
                "title": metadata_text(page.title),
                "description": "",
                "form": True,
                # Its sections numbered as in the edition: B.1, B.2 in the second annex.
                "annex-offset": str(annexes.index(page.name)) if page.name in annexes else "0",
                "identifier": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{edition}/{page.name}")),
            }
        )
        sources.append(replace(source, metadata=metadata, form=page.name))
    return sources


def build_form(source: EditionSource, fmt: str, output: Path, reference: Path | None = None) -> Path:
    """One form file: the PDF by the edition's Typst path (its template reads `form`), or the DOCX
    (styled by `reference`, form_reference_doc's for the form's language, when given)."""
    if fmt == "pdf":
        return build_pdf(source, output)
    return build_form_docx(source, output, reference)


# DOCX ------------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BALLOTS = {"\u2610": False, "\u2611": True, "\u2612": True}
# Word draws its checkboxes in MS Gothic; where that font is missing, the office suite picks another
# with the ballot boxes (LibreOffice: DejaVu Sans, OpenSymbol).
CHECKBOX_FONT = "MS Gothic"
# A4 less the edition's margins (24 mm each side), in twentieths of a point.
TEXT_WIDTH = round((210 - 48) / 25.4 * 1440)
# A row with a cell to fill in: at least 1 cm, room for a line of handwriting.
FILL_IN_ROW = round(10 / 25.4 * 1440)
# Column shares in characters of table text (10 pt: about 85 on the line, a cell's margins two more),
# as typst-layout.lua gives them for the PDF: a column to fill in wants 40 and gets at least 14; a
# column of text wants its longest cell, up to 60, and at least its longest word (up to 12).
LINE, CELL_PADDING = 85, 2.5
FILL_IN_LEAST, FILL_IN_MOST, TEXT_MOST = 14, 40, 60
TABLE_TEXT = Pt(10)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def form_reference_doc(output: Path, source: EditionSource, edition_reference: Path | None = None) -> Path:
    """The editions' reference document (`edition_reference`, else made anew), for the forms of
    `source`'s language: the title is a heading on the first page (no page break before it), and
    every page names the guidelines, the edition and its number. It depends on the language's
    metadata only, never on the form, so one serves every form of the language."""
    if edition_reference is not None:
        shutil.copyfile(edition_reference, output)
    else:
        build_reference_doc(output)
    document = Document(str(output))
    heading = document.styles["Heading 1"]
    heading.paragraph_format.page_break_before = False
    heading.paragraph_format.space_after = Pt(10)
    heading.font.size = Pt(17)
    section = document.sections[0]
    metadata = source.metadata
    edition = metadata.get("draft-label") or f"{metadata['edition-label']} {metadata['version']}"
    first = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
    for paragraph, text, italic in (
        (first, metadata["guidelines-text"], True),
        (section.header.add_paragraph(), f"{edition} · {metadata['date']}", False),
    ):
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.italic, run.font.size, run.font.color.rgb = italic, Pt(8.5), RGBColor(0x5A, 0x5A, 0x5A)
    # Table cells are in pandoc's Compact style: a size smaller than the text, as in the PDF.
    document.styles["Compact"].font.size = TABLE_TEXT
    footer = section.footer.paragraphs[0]
    for child in list(footer._p):
        if child.tag != qn("w:pPr"):
            footer._p.remove(child)
    for index, instruction in enumerate(("PAGE", "NUMPAGES")):
        if index:
            footer.add_run(" / ")
        footer._p.append(page_field(instruction))
    document.save(str(output))
    return output


def build_form_docx(source: EditionSource, output: Path, reference: Path | None = None) -> Path:
    with tempfile.TemporaryDirectory() as work:
        reference = reference or form_reference_doc(Path(work) / "reference.docx", source)
        metadata = {key: source.metadata[key] for key in ("title", "lang")}
        pandoc_docx(source, reference, metadata, output)
    with zipfile.ZipFile(output) as archive:
        infos = archive.infolist()
        entries = {info.filename: archive.read(info.filename) for info in infos}
    document = entries["word/document.xml"]
    entries["word/document.xml"] = fill_in_document(document, entries.get("word/numbering.xml"))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            archive.writestr(info, entries[info.filename])
    finish_docx(output, source.epoch)
    return output


def fill_in_document(document: bytes, numbering: bytes | None = None) -> bytes:
    """pandoc's document as a form: no title block (the chapter's heading is the title), tables to
    write in, and checkboxes to tick."""
    root = etree.fromstring(document)
    body = root.find(_w("body"))
    for paragraph in body.findall(_w("p")):
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        if style is not None and style.get(_w("val")) in {"Title", "Subtitle", "Author", "Date"}:
            body.remove(paragraph)
    for table in root.iter(_w("tbl")):
        _form_table(table)
    for text in list(root.iter(_w("t"))):
        if any(ballot in (text.text or "") for ballot in BALLOTS):
            _checkboxes(text.getparent())
    _tickable_task_lists(root, numbering)  # after the boxes in the text: its own are not split again
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _ballot_levels(numbering: bytes | None) -> dict[tuple[str, str], tuple[str, etree._Element | None]]:
    """(list id, level) -> (the ballot box, the level's indentation) for the list levels pandoc marks
    with ☐ or ☒ (a list whose items start with a box: pandoc reads it as a task list)."""
    if not numbering:
        return {}
    root = etree.fromstring(numbering)
    abstract = {}
    for definition in root.iter(_w("abstractNum")):
        for level in definition.iter(_w("lvl")):
            text = level.find(_w("lvlText"))
            if text is not None and text.get(_w("val")) in BALLOTS:
                key = (definition.get(_w("abstractNumId")), level.get(_w("ilvl")))
                abstract[key] = (text.get(_w("val")), level.find(f"{_w('pPr')}/{_w('ind')}"))
    levels = {}
    for number in root.iter(_w("num")):
        base = number.find(_w("abstractNumId")).get(_w("val"))
        for (abstract_id, level), value in abstract.items():
            if abstract_id == base:
                levels[(number.get(_w("numId")), level)] = value
    return levels


def _tickable_task_lists(root, numbering: bytes | None) -> None:
    """A list item whose marker is a ballot box gets a checkbox to tick in its place (a marker cannot
    be ticked), indented as the list was."""
    levels = _ballot_levels(numbering)
    for paragraph in root.iter(_w("p")):
        properties = paragraph.find(_w("pPr"))
        numbered = properties.find(_w("numPr")) if properties is not None else None
        if numbered is None:
            continue
        number, level = numbered.find(_w("numId")), numbered.find(_w("ilvl"))
        key = (
            number.get(_w("val")) if number is not None else "",
            level.get(_w("val")) if level is not None else "0",
        )
        if key not in levels:
            continue
        ballot, indentation = levels[key]
        indented = _copy(indentation) if indentation is not None else etree.Element(_w("ind"))
        properties.replace(numbered, indented)  # where numPr was: the schema's order holds
        position = 1
        for piece in (_checkbox(None, ballot), _text_run(None, "\t")):
            paragraph.insert(position, piece)
            position += 1


def _cell_text(cell) -> str:
    return " ".join("".join(t.text or "" for t in cell.iter(_w("t"))).split())


def _form_table(table) -> None:
    rows = table.findall(_w("tr"))
    body = [row for row in rows if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is None]
    grid = [[_cell_text(cell) for cell in row.findall(_w("tc"))] for row in rows]
    columns = max((len(cells) for cells in grid), default=0)
    if columns == 0:
        return
    written = [any(index < len(row) and _cell_text(row[index]) for row in (r.findall(_w("tc")) for r in body))
               for index in range(columns)]  # fmt: skip
    words, most = [], []
    for index in range(columns):
        texts = [cells[index] for cells in grid if index < len(cells)]
        words.append(min(max((len(word) for text in texts for word in text.split()), default=1), 12) + 1)
        longest = min(max((len(text) for text in texts), default=1), TEXT_MOST) + 1
        most.append(longest if written[index] else max(FILL_IN_MOST, words[-1]))
    least = [word if written[index] else max(FILL_IN_LEAST, word) for index, word in enumerate(words)]
    if sum(least) > LINE - CELL_PADDING * columns:  # a year's months side by side: as typst-layout.lua
        least = words
    widths = _shares(least, most, TEXT_WIDTH)
    properties = table.find(_w("tblPr"))
    for name in ("tblW", "tblLayout", "tblBorders"):
        for old in properties.findall(_w(name)):
            properties.remove(old)
    width = etree.SubElement(properties, _w("tblW"))
    width.set(_w("w"), str(TEXT_WIDTH))
    width.set(_w("type"), "dxa")
    etree.SubElement(properties, _w("tblLayout")).set(_w("type"), "fixed")
    borders = etree.SubElement(properties, _w("tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = etree.SubElement(borders, _w(side))
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "808080")):
            edge.set(_w(key), value)
    _order(properties, ["tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblCellMar", "tblLook"])
    grid_element = table.find(_w("tblGrid"))
    for column in list(grid_element):
        grid_element.remove(column)
    for share in widths:
        etree.SubElement(grid_element, _w("gridCol")).set(_w("w"), str(share))
    for row in rows:
        column = 0
        for cell in row.findall(_w("tc")):
            cell_properties = cell.find(_w("tcPr"))
            if cell_properties is None:
                cell_properties = etree.Element(_w("tcPr"))
                cell.insert(0, cell_properties)
            span = cell_properties.find(_w("gridSpan"))
            span = int(span.get(_w("val"))) if span is not None else 1
            for old in cell_properties.findall(_w("tcW")):
                cell_properties.remove(old)
            cell_width = etree.Element(_w("tcW"))
            cell_width.set(_w("w"), str(sum(widths[column : column + span])))
            cell_width.set(_w("type"), "dxa")
            cell_properties.insert(0, cell_width)
            column += span
        if row in body and any(not _cell_text(cell) for cell in row.findall(_w("tc"))):
            row_properties = row.find(_w("trPr"))
            if row_properties is None:
                row_properties = etree.Element(_w("trPr"))
                cells = row.find(_w("tblPrEx"))
                row.insert(1 if cells is not None else 0, row_properties)
            height = etree.SubElement(row_properties, _w("trHeight"))
            height.set(_w("val"), str(FILL_IN_ROW))
            height.set(_w("hRule"), "atLeast")


def _shares(least: list[int], most: list[int], total: int) -> list[int]:
    """Column widths as a browser lays out an automatic table (typst-layout.lua's column_widths):
    each its least; what is left in proportion to how much more each wants."""
    sum_least, sum_most = sum(least), sum(max(pair) for pair in zip(most, least, strict=True))
    available = LINE - CELL_PADDING * len(least)
    wants = []
    for low, high in zip(least, most, strict=True):
        high = max(high, low)
        if sum_most <= available:
            wants.append(high)
        elif sum_least < available and sum_most > sum_least:
            wants.append(low + (available - sum_least) * (high - low) / (sum_most - sum_least))
        else:
            wants.append(low)
    wants = [want + CELL_PADDING for want in wants]
    scale = total / sum(wants)
    widths = [int(want * scale) for want in wants]
    widths[-1] += total - sum(widths)
    return widths


def _order(element, names: list[str]) -> None:
    """Word reads a properties element's children only in the schema's order."""
    rank = {_w(name): index for index, name in enumerate(names)}
    children = sorted(element, key=lambda child: rank.get(child.tag, len(names)))
    for child in children:
        element.append(child)


def _checkboxes(run) -> None:
    """Split a run at each ballot box; each box becomes a checkbox content control (Word's, which
    LibreOffice reads as its own), with the box itself as its shown content."""
    if run.tag != _w("r"):
        return
    parent = run.getparent()
    position = parent.index(run)
    properties = run.find(_w("rPr"))
    text = "".join(t.text or "" for t in run.findall(_w("t")))
    pieces: list[etree._Element] = []
    plain = ""
    for char in text:
        if char in BALLOTS:
            if plain:
                pieces.append(_text_run(properties, plain))
                plain = ""
            pieces.append(_checkbox(properties, char))
        else:
            plain += char
    if plain:
        pieces.append(_text_run(properties, plain))
    parent.remove(run)
    for offset, piece in enumerate(pieces):
        parent.insert(position + offset, piece)


def _text_run(properties, text: str):
    run = etree.Element(_w("r"))
    if properties is not None:
        run.append(_copy(properties))
    element = etree.SubElement(run, _w("t"))
    element.text = text
    element.set(XML_SPACE, "preserve")
    return run


def _copy(element):
    return etree.fromstring(etree.tostring(element))


def _checkbox(properties, char: str):
    checked = BALLOTS[char]
    sdt = etree.Element(_w("sdt"), nsmap={"w14": W14})
    sdt_properties = etree.SubElement(sdt, _w("sdtPr"))
    box = etree.SubElement(sdt_properties, f"{{{W14}}}checkbox")
    etree.SubElement(box, f"{{{W14}}}checked").set(f"{{{W14}}}val", "1" if checked else "0")
    for state, code in (("checkedState", "2612"), ("uncheckedState", "2610")):
        element = etree.SubElement(box, f"{{{W14}}}{state}")
        element.set(f"{{{W14}}}val", code)
        element.set(f"{{{W14}}}font", CHECKBOX_FONT)
    content = etree.SubElement(sdt, _w("sdtContent"))
    run = _text_run(properties, "\u2612" if checked else "\u2610")
    run_properties = run.find(_w("rPr"))
    if run_properties is None:
        run_properties = etree.Element(_w("rPr"))
        run.insert(0, run_properties)
    for old in run_properties.findall(_w("rFonts")):
        run_properties.remove(old)
    fonts = etree.Element(_w("rFonts"))
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(_w(key), CHECKBOX_FONT)
    # rFonts comes right after a character style, if the run has one (the schema's order).
    run_properties.insert(1 if run_properties.find(_w("rStyle")) is not None else 0, fonts)
    content.append(run)
    return sdt
