"""Pictures that cannot act: every SVG under docs/ is read as XML and holds only drawing.

An SVG is a document that can carry script: opened at its own address on the site, a `<script>`, an
`onload=` or a `javascript:` link in it runs on the site's origin, and the EPUB carries it as it is.
Each SVG is parsed by an XML parser that refuses document types and entities (no entity expansion, no
file or address read through one), and refused if it holds script, event attributes, foreign HTML,
an animation of a link, or a reference to anything but a part of itself or an embedded picture.
"""

from __future__ import annotations

import os
import re
import xml.sax
from pathlib import Path

import defusedxml.sax
from defusedxml import DefusedXmlException

from guidelines.content import Content
from guidelines.findings import Finding

# Elements that run or embed active content. (`handler` and `listener` are SVG Tiny's script hooks.)
ACTIVE_ELEMENTS = {"script", "foreignobject", "handler", "listener", "iframe", "embed", "object"}
ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform"}
LINK_ATTRIBUTES = {"href", "src"}
# A reference to a part of the picture itself, or a picture embedded in it (not another SVG).
LOCAL_REFERENCE = re.compile(r"#|data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
# In a style (attribute or element): a url(...) to anything but a part of the picture, or an import.
EXTERNAL_STYLE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)
HINT = "save the picture again as a plain drawing (in Inkscape: File > Save As > Optimized SVG), or as PNG"


def check(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    docs = content.project.docs_dir
    for folder, folders, files in os.walk(docs):  # links are not followed: FILE_OUTSIDE reports them
        folders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.lower().endswith(".svg") and not path.is_symlink():
                findings.extend(svg_findings(path, content.project.display(path)))
    return findings


class _Drawing(xml.sax.ContentHandler):
    """Collects what in an SVG could act, with the line it is on."""

    def __init__(self, shown: str):
        super().__init__()
        self.shown = shown
        self.findings: list[Finding] = []
        self.locator = None
        self.in_style = False

    def setDocumentLocator(self, locator):
        self.locator = locator

    def _refuse(self, what: str) -> None:
        line = self.locator.getLineNumber() if self.locator else 0
        self.findings.append(Finding(self.shown, line, "SVG_UNSAFE", f"the picture holds {what}", hint=HINT))

    def startElement(self, name, attrs):
        element = name.rsplit(":", 1)[-1].lower()
        if element in ACTIVE_ELEMENTS:
            self._refuse(f"<{name}>, which can run script or embed a web page")
        self.in_style = element == "style"
        for qualified in attrs.getNames():
            attribute, value = qualified.rsplit(":", 1)[-1].lower(), attrs.getValue(qualified)
            if attribute.startswith("on"):
                self._refuse(f'the event attribute {qualified}="{value[:60]}" on <{name}>, which runs script')
            elif attribute in LINK_ATTRIBUTES and not LOCAL_REFERENCE.match(value.strip()):
                self._refuse(
                    f'a reference {qualified}="{value[:80]}" on <{name}> to something outside it '
                    "(a picture may refer only to its own parts, #id, or embed a picture as data:image/png)"
                )
            elif (
                element in ANIMATIONS
                and attribute == "attributename"
                and value.split(":")[-1]
                in {
                    "href",
                    "src",
                }
            ):
                self._refuse(f"<{name}> that changes a link ({value}), which can make it a script link")
            elif element in ANIMATIONS and attribute in {"values", "from", "to", "by"} and ":" in value:
                self._refuse(f'<{name}> with {qualified}="{value[:60]}", an address set by animation')
            elif EXTERNAL_STYLE.search(value) and (attribute == "style" or "url(" in value.lower()):
                self._refuse(f'{qualified}="{value[:60]}" on <{name}>, which loads something from outside it')

    def endElement(self, name):
        self.in_style = False

    def characters(self, content):
        if self.in_style and EXTERNAL_STYLE.search(content):
            self._refuse("a <style> that loads something from outside the picture")


def svg_findings(path: Path, shown: str) -> list[Finding]:
    """What in one SVG file could act (empty: the picture is only drawing)."""
    handler = _Drawing(shown)
    try:
        defusedxml.sax.parse(str(path), handler, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        text = path.read_text(encoding="utf-8", errors="replace")
        declaration = text.upper().find("<!DOCTYPE")
        return [
            Finding(
                shown,
                text[:declaration].count("\n") + 1 if declaration >= 0 else 0,
                "SVG_UNSAFE",
                f"the picture declares a document type or entities ({type(error).__name__}), "
                "which can read files or grow without end",
                hint=HINT,
            )
        ]
    except xml.sax.SAXParseException as error:
        return [
            Finding(
                shown,
                error.getLineNumber(),
                "SVG_UNSAFE",
                f"the picture is not well-formed XML: {error.getMessage()}",
                hint=HINT,
            )
        ]
    return handler.findings
