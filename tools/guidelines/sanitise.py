"""What a page may put into a reader's browser: an explicit allowlist of HTML, and what a page breaks of it.

The text comes through pull requests from many people, so it is untrusted input. A page's HTML (its
Markdown rendered by the site's configuration, with the toolkit's expansions) is sanitised by nh3
(ammonia) under the allowlist below; anything the sanitiser removes or changes is a problem. The two are
compared as parsed token streams (start tags with their unescaped attribute values, and text), never as
strings: nh3 reserialises, so equal HTML can be written differently. A denylist of patterns would miss
the next spelling of `javascript:`; the allowlist does not need to know it.

Pure: HTML in, problems out. The checks (on each page rendered by `guidelines.rendering`) and the MkDocs
plugin (on each page's final content) both call `html_problems`.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from guidelines.content import ADMONITION_KINDS

# What the guidelines' pages are made of: Python-Markdown's output for the text, tables, boxes and
# footnotes, and the toolkit's own additions (downloads table, What changed page).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
# `class` is not here: nh3 keeps only the classes of ALLOWED_CLASSES, per tag.
GENERIC_ATTRIBUTES = {"id", "lang"}
ALLOWED_ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "title", "hreflang", "download"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Python-Markdown's tables write a column's alignment as a style; no other style is allowed.
ALIGNMENTS = {f"text-align: {side};" for side in ("left", "center", "right")}
ATTRIBUTE_VALUES = {"td": {"style": ALIGNMENTS}, "th": {"style": ALIGNMENTS}}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref", "headerlink"},
    "details": ADMONITION_KINDS,  # a box that opens (`??? note`), should pymdownx.details be enabled
    # `inline` and `end`: Material's boxes beside the text (`!!! note inline end`).
    # `form-downloads`, `forms-title`, `forms`: the forms' download panels (mkdocs_plugin/panels.py).
    "div": {
        "admonition",
        "inline",
        "end",
        "footnote",
        "changes-passage",
        "form-downloads",
        *ADMONITION_KINDS,
    },
    "p": {
        "admonition-title",
        "changes-status",
        "changes-section",
        "changes-legend",
        "earlier-editions",
        "forms-title",
    },
    "span": {"visually-hidden"},
    "table": {"downloads", "forms"},
}
# Links may go to other sites, by mail, or (relative) to the guidelines' own pages and files.
URL_SCHEMES = {"http", "https", "mailto"}
# Material's own elements have ids starting "__" (`__config`, `__search`): a page must not shadow them.
# (Python-Markdown's own ids for headings without words are `_1`, `_2`, …)
SAFE_ID = re.compile(r"(?!__)[\w:.-]+")
SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:|^\s*//")

IMAGE_HINT = "save the picture in the language's images/ folder and write ![Description](images/name.png)"


@dataclass(frozen=True)
class Problem:
    """Something the allowlist does not allow: what it is, and pieces of text to find it by in the
    source, the most telling first."""

    code: str
    what: str
    hint: str
    needles: tuple[str, ...]


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not SAFE_ID.fullmatch(value):
        return None
    # Pictures come from the project's files only: the site makes no request to any other host.
    if element == "img" and attribute == "src" and SCHEME.match(value):
        return None
    return value


def sanitise(text: str) -> str:
    """The HTML as the allowlist lets it through."""
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        tag_attribute_values=ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


Token = tuple  # ("start", tag, ((name, value), …)) or ("text", words)


class _Tokens(HTMLParser):
    """Start tags with their attributes (values unescaped, sorted), and text with its spaces collapsed.

    End tags are left out: the sanitiser may close an element in another place (a parser's repair of
    a misnested tag), which moves no content into or out of what the allowlist allows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        words = " ".join(data.split())
        if not words:
            return
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + " " + words)
        else:
            self.tokens.append(("text", words))


def tokens(text: str) -> list[Token]:
    parser = _Tokens()
    parser.feed(text)
    parser.close()
    return parser.tokens


def html_problems(text: str) -> list[Problem]:
    """What of the HTML the allowlist does not allow (empty: the HTML is safe as it is)."""
    written, allowed = tokens(text), tokens(sanitise(text))
    if written == allowed:
        return []
    problems: list[Problem] = []
    matcher = difflib.SequenceMatcher(a=written, b=allowed, autojunk=False)
    for operation, first, last, kept_first, kept_last in matcher.get_opcodes():
        if operation == "equal":
            continue
        problems.extend(_changed(written[first:last], allowed[kept_first:kept_last]))
    return problems


def _changed(written: list[Token], allowed: list[Token]) -> list[Problem]:
    """The problems of one stretch the sanitiser changed: elements it removed, attributes it dropped,
    and, only where neither explains the change, text it removed (removing a tag joins the texts on
    either side of it, which is no problem of its own)."""
    kept = [token for token in allowed if token[0] == "start"]
    problems: list[Problem] = []
    lost_text: list[Problem] = []
    excused = False
    for token in written:
        if token[0] == "text":
            if token not in allowed:
                lost_text.append(
                    Problem(
                        "HTML_UNSAFE",
                        f"text that the allowlist of safe HTML removes: '{_shown(token[1][:60])}'",
                        "write the content in Markdown",
                        (token[1][:40],),
                    )
                )
            continue
        _, tag, attributes = token
        twin = next((other for other in kept if other[1] == tag), None)
        if twin is None:
            problems.append(_element(tag, attributes))
            continue
        kept.remove(twin)
        for name, value in attributes:
            if (name, value) in twin[2]:
                continue
            if _malformed_web_link(tag, name, value):
                excused = True
            else:
                problems.append(_attribute(tag, name, value))
    if problems or lost_text or excused:
        return problems or lost_text
    return [
        Problem("HTML_UNSAFE", "HTML that the allowlist of safe HTML rewrites", "write it in Markdown", "")
    ]


def _malformed_web_link(tag: str, name: str, value: str) -> bool:
    """A link to a web address that nh3 drops because it cannot parse it (pymdownx.magiclink makes
    `http://www.europa.eu).27` of "(www.europa.eu).[^27]"): broken, but no danger, since a browser reads
    the scheme as written, once it has removed what the URL standard removes (tabs and line breaks
    anywhere, controls and spaces at either end)."""
    if tag != "a" or name != "href":
        return False
    address = "".join(character for character in value if character not in "\t\n\r").strip("\x00- ")
    return address.lower().startswith(tuple(f"{scheme}:" for scheme in URL_SCHEMES))


def _shown(value: str) -> str:
    """A value as a message can show it: a tab or other control character written as an escape."""
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in value)


def _element(tag: str, attributes: tuple) -> Problem:
    shown = "".join(f' {name}="{_shown(value[:40])}"' for name, value in attributes)
    return Problem(
        "HTML_UNSAFE",
        f"the HTML element <{tag}{shown}>, which is not in the allowlist of safe HTML",
        "remove it and write the content in Markdown (a page cannot carry scripts, styles, frames "
        "or forms; to show a video, link to it)",
        (f"<{tag}",),
    )


def _attribute(tag: str, name: str, value: str) -> Problem:
    written = f'{name}="{_shown(value[:60])}" on <{tag}>'
    if name.lower().startswith("on"):
        return Problem(
            "HTML_UNSAFE",
            f"the event attribute {written}, which would run script in readers' browsers",
            "remove it: a page cannot run script",
            (name,),
        )
    if tag == "img" and name == "src" and SCHEME.match(value) and not value.lower().startswith("javascript"):
        return Problem(
            "IMAGE_REMOTE",
            f"the picture '{value[:80]}' is loaded from a web address (the site makes no request to "
            "any other host)",
            IMAGE_HINT,
            (value[:40],),
        )
    if name in {"href", "src"}:
        return Problem(
            "HTML_UNSAFE",
            f"the address {written}: only http:, https:, mailto: and the guidelines' own pages and files "
            "may be linked",
            "link to a web page with its full address, [text](https://example.org/page), or to a chapter "
            "with its file name, [text](06-planning-a-centre.md)",
            (value[:40],),
        )
    if name == "class":
        return Problem(
            "HTML_UNSAFE",
            f"the class {written}, which is not one the site's style knows",
            f"use a box (!!! note) instead, or no class; classes allowed on <{tag}>: "
            + (", ".join(sorted(ALLOWED_CLASSES.get(tag, ()))) or "none"),
            (*(f".{name}" for name in value.split()), f'class="{value}"'),
        )
    if name == "id":
        return Problem(
            "HTML_UNSAFE",
            f"the id {written}: an id holds letters, digits, '-', '_', ':' and '.', and does not start "
            "with '__' (the site's own ids do)",
            "write the heading's id as {#legal-fit}",
            (f"#{value}", f'id="{value}"', value),
        )
    allowed = sorted(GENERIC_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"})
    return Problem(
        "HTML_UNSAFE",
        f"the attribute {written}, which is not in the allowlist of safe HTML",
        f"remove it; attribute lists ({{: …}}, {{#id …}}) may set only: {', '.join(allowed)}",
        (f"{name}=", name),
    )


def _searchable(text: str) -> str:
    """Text as a needle is looked for in it: entities decoded, spaces and control characters gone
    (a browser drops a tab inside `java&#9;script:`), case ignored."""
    return (
        "".join(character for character in html.unescape(text) if character.isprintable())
        .replace(" ", "")
        .casefold()
    )


def line_of(problem: Problem, lines: list[str], first_line: int = 1) -> int:
    """The first source line holding the problem's most telling needle (0 when a pattern pass over
    the source cannot find it)."""
    searchable = [_searchable(line) for line in lines]
    for needle in filter(None, map(_searchable, problem.needles)):
        for index, line in enumerate(searchable):
            if needle in line:
                return first_line + index
    return 0
