"""A page as a chapter of its edition: the HTML the site renders, shaped for one document.

pandoc reads this HTML (never the Markdown), so the editions show what the site shows. What one
document needs that a page of the site does not:
- ids are namespaced by chapter (`ch-03-models--funding`): two chapters may both have `#funding`;
- links between chapters point inside the document, links to pages outside the edition at the site;
- image paths are relative to the project root, where pandoc and Typst run;
- footnotes are marked for the filter, which makes them real notes (Python-Markdown writes them as
  an ordered list at the end of the page);
- boxes (`<div class="admonition">`, and `<details>`, which the site shows as a box that opens) carry
  their title as a `div.admonition-title` for the filter; the site's "¶" permalinks are dropped;
- what only a screen can do has a printed form: tabs (pymdownx.tabbed) become titled sections, one
  after the other, and a task list's checkboxes become ☐ and ☑;
- a part marked as written in another language (`*socialinė globa*{lang=lt}`, a glossary column)
  keeps its `lang` where pandoc reads it, on a span or a div (pandoc drops it from `<em>` or `<td>`);
- a page that falls back to the source language says so and is marked as written in that language.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

import lxml.html
from lxml import etree

from guidelines.content import Page, resolve

EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)
# What a rewritten address keeps as it is; anything else (a space, a control character) is %-escaped.
URL_SAFE = "/#:?=&@!$'()*+,;~%-._"


def chapter_id(page_name: str) -> str:
    return "ch-" + page_name.removesuffix(".md").replace("/", "-")


def section_id(page_name: str, anchor: str) -> str:
    return f"{chapter_id(page_name)}--{anchor}"


def is_annex(page: Page) -> bool:
    """Annexes are the pages whose file name starts with "annex"; the PDF numbers them A, B, …"""
    return page.name.startswith("annex")


@dataclass
class ChapterContext:
    """What shaping one page needs to know about the rest of the edition."""

    language: str  # the edition's language
    edition_pages: set[str]  # file names in the edition: links to them stay inside the document
    page_url: Callable[[str, str], str]  # (file name, anchor) -> website address of a page outside it
    image_path: Callable[[Page, str], str]  # (page, src as written) -> path relative to the project root
    fallback_note: Callable[[Page], str]  # a fallback page's note, as HTML in the edition's language
    language_tags: dict[str, str] = field(default_factory=dict)  # code -> BCP 47 tag ("en" -> "en-GB")


def edition_chapter(page: Page, rendered: str, context: ChapterContext) -> str:
    """The chapter's HTML: its title as the level-1 heading, then the page as the site renders it."""
    # The page's HTML as a browser reads it: whatever raw HTML it holds (a stray `</div>`, a doctype)
    # ends up inside <body>, as on the site.
    body = lxml.html.document_fromstring(f"<!DOCTYPE html><html><body>{rendered}</body></html>").body
    _drop_permalinks(body)
    _mark_boxes(body)
    _print_tabs(body)
    _print_checkboxes(body)
    _mark_footnotes(body, page)
    _keep_languages(body)
    for element in body.iter(etree.Element):
        if element.get("id"):
            element.set("id", section_id(page.name, element.get("id")))
        href = element.get("href") if element.tag == "a" else None
        if href is not None and (rewritten := _link(page, href, context)) != href:
            element.set("href", quote(rewritten, safe=URL_SAFE))
        if element.tag == "img" and element.get("src") and not EXTERNAL.match(element.get("src")):
            element.set("src", context.image_path(page, unquote(element.get("src"))))
    classes = ' class="annex unnumbered"' if is_annex(page) else ""
    heading = f'<h1 id="{chapter_id(page.name)}"{classes}>{html.escape(page.title)}</h1>\n'
    inner = "".join(etree.tostring(child, encoding="unicode", method="html") for child in body.iterchildren())
    inner = html.escape(body.text or "") + inner
    if page.language != context.language:
        # Written in another language: said at the chapter's start, and tagged (so hyphenation, the
        # PDF's /Lang and a screen reader's voice follow the text, not the edition).
        tag = context.language_tags.get(page.language, page.language)
        inner = f'{context.fallback_note(page)}\n<div lang="{tag}">\n{inner}\n</div>'
    return heading + inner + "\n"


# Elements whose content is a run of text: a language marked on them is carried by a span inside.
INLINE = {"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small",
          "strong", "sub", "sup", "u"}  # fmt: skip
BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "pre", "dl", "h1", "h2", "h3", "h4", "h5", "h6"}


def _keep_languages(body) -> None:
    """pandoc keeps `lang` on spans and divs only: an inline element marked with a language is
    wrapped in a span that carries it, any other element's content in a span (or a div, when it holds
    blocks)."""
    for element in list(body.iter(etree.Element)):
        language = element.get("lang")
        if not language or element.tag in {"span", "div", "html", "body"}:
            continue
        del element.attrib["lang"]
        if element.tag in INLINE:
            wrapper = etree.Element("span", lang=language)
            wrapper.tail, element.tail = element.tail, None
            element.addprevious(wrapper)
            wrapper.append(element)
            continue
        holds_blocks = any(child.tag in BLOCKS for child in element)
        wrapper = etree.Element("div" if holds_blocks else "span", lang=language)
        wrapper.text, element.text = element.text, None
        for child in list(element):
            wrapper.append(child)
        element.append(wrapper)


def _drop_permalinks(body) -> None:
    for anchor in body.xpath('.//a[contains(concat(" ", @class, " "), " headerlink ")]'):
        anchor.drop_tree()


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _mark_boxes(body) -> None:
    """`<p class="admonition-title">` (a class pandoc does not keep on paragraphs) becomes a div;
    `<details>` becomes the box it is on the site, its summary the title."""
    for title in body.xpath('.//p[contains(concat(" ", @class, " "), " admonition-title ")]'):
        title.tag = "div"
        title.attrib.pop("class")
        paragraph = etree.SubElement(title, "p")
        paragraph.text, title.text = title.text, None
        for child in list(title):
            if child is not paragraph:
                paragraph.append(child)
        title.set("class", "admonition-title")
    for details in body.iter("details"):
        details.tag = "div"
        kinds = [c for c in _classes(details) if c != "admonition"] or ["note"]
        details.set("class", " ".join(["admonition", *kinds]))
        details.attrib.pop("open", None)
        summary = details.find("summary")
        if summary is not None:
            summary.tag = "div"
            summary.attrib.clear()
            summary.set("class", "admonition-title")


def _print_tabs(body) -> None:
    """Each tab of a tab set (`div.tabbed-set`: radio inputs, labels, then one block per tab) as its
    label in bold followed by its block."""
    for tabs in body.xpath('.//div[contains(concat(" ", @class, " "), " tabbed-set ")]'):
        labels = [" ".join(label.text_content().split()) for label in tabs.iter("label")]
        blocks = tabs.xpath('.//div[contains(concat(" ", @class, " "), " tabbed-block ")]')
        printed = etree.Element("div")
        printed.set("class", "tabs")
        for title, block in zip(labels, blocks, strict=False):
            heading = etree.SubElement(printed, "p")
            etree.SubElement(heading, "strong").text = title
            block.tag = "div"
            block.attrib.clear()
            printed.append(block)
        printed.tail = tabs.tail
        tabs.getparent().replace(tabs, printed)


def _print_checkboxes(body) -> None:
    for box in body.xpath('.//input[@type="checkbox"]'):
        mark = "\u2611 " if box.get("checked") is not None else "\u2610 "
        previous, parent = box.getprevious(), box.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + mark + (box.tail or "").lstrip()
        else:
            parent.text = (parent.text or "") + mark + (box.tail or "").lstrip()
        parent.remove(box)


def _mark_footnotes(body, page: Page) -> None:
    """Python-Markdown's footnotes (`<sup><a class="footnote-ref" href="#fn:x">` and the list in
    `<div class="footnote">`) as a reference span and a definition div each, which the filter joins
    into a note. Ids are namespaced with the rest."""
    for reference in body.xpath('.//a[contains(concat(" ", @class, " "), " footnote-ref ")]'):
        sup = reference.getparent()
        target = reference.get("href", "").lstrip("#")
        span = etree.Element("span")
        span.set("class", "footnote-ref")
        span.set("data-note", section_id(page.name, target))
        span.tail = sup.tail if sup.tag == "sup" else reference.tail
        (sup if sup.tag == "sup" else reference).getparent().replace(
            sup if sup.tag == "sup" else reference, span
        )
    for block in body.xpath('.//div[contains(concat(" ", @class, " "), " footnote ")]'):
        definitions = etree.Element("div")
        definitions.set("class", "footnote-definitions")
        for item in block.xpath("./ol/li"):
            for backref in item.xpath('.//a[contains(concat(" ", @class, " "), " footnote-backref ")]'):
                _drop_keeping_tail(backref)
            item.tag = "div"
            item.set("class", "footnote-definition")
            definitions.append(item)
        block.getparent().replace(block, definitions)


def _drop_keeping_tail(element) -> None:
    """Remove an element; its tail stays, minus the no-break space Python-Markdown puts before it."""
    previous = element.getprevious()
    parent = element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip("\u00a0")
    else:
        parent.text = (parent.text or "").rstrip("\u00a0")
    element.drop_tree()


def _link(page: Page, href: str, context: ChapterContext) -> str:
    if EXTERNAL.match(href):
        return href
    parts = urlsplit(href)
    file, anchor = unquote(parts.path), unquote(parts.fragment)
    name = resolve(page, file)
    if not name.endswith(".md"):
        return href
    if name in context.edition_pages:
        return "#" + (section_id(name, anchor) if anchor else chapter_id(name))
    return context.page_url(name, anchor)
