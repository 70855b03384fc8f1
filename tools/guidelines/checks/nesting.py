"""Nesting too deep to typeset: brackets inside brackets, quotes inside quotes, lists inside lists.

No text needs more than a few levels, and each level costs the engines more: a few hundred nested
lists overflow the Markdown reader itself, a thousand nested quotes stop Typst ("maximum parsing
depth exceeded"), and nested brackets grow pandoc's time and memory faster than their number. The
depth is read from the page's rendering (the one reading); the line scan below only finds where
the deepest level was written.
"""

from __future__ import annotations

from guidelines.content import Content, Page, code_mask
from guidelines.findings import Finding

MAX_DEPTH = 8
# Nesting this deep is refused before the page is read at all: Python-Markdown's time grows faster
# than the depth (brackets 1,000 deep: under 1 s; 5,000: 25 s; 20,000: over 300 s).
GUARD_DEPTH = 100
CODE = {"code", "pre", "kbd", "samp"}
BLOCKS = {
    "p",
    "li",
    "td",
    "th",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "caption",
    "div",
    "blockquote",
}
KINDS = {
    "bracket": ("brackets", "[ ]", "write the text without brackets inside brackets"),
    "quote": ("block quotes", ">", "quote once: one > at the start of the line"),
    "list": ("lists", "list items", "make the list flatter: a few levels at most"),
}


def check(content: Content) -> list[Finding]:
    findings = []
    for pages in content.pages.values():
        for page in pages:
            if found := deepest(page.tree):
                kind, depth, text = found
                findings.append(finding(content, page, kind, depth, text))
    return findings


def finding(content: Content, page: Page, kind: str, depth: int, text: str = "") -> Finding:
    what, written, hint = KINDS[kind]
    line = page.line_naming(text) if kind == "list" and text else written_at(page.body, page.body_line, kind)
    return Finding(
        content.project.display(page.path),
        line,
        "NESTING_DEPTH",
        f"{what} nested {depth} deep ({written}); at most {MAX_DEPTH} levels can be typeset",
        hint=hint,
    )


def deepest(tree) -> tuple[str, int, str] | None:
    """The construct nested deepest in a rendering, if deeper than MAX_DEPTH: (kind, depth, text)."""
    found: list[tuple[str, int, str]] = []

    def visit(element, quotes: int, lists: int, in_code: bool) -> None:
        candidate = None
        if element.tag == "blockquote":
            quotes += 1
            candidate = ("quote", quotes, "")
        elif element.tag in ("ul", "ol"):
            lists += 1
            item = element.find("li")
            candidate = ("list", lists, (item.text or "").strip() if item is not None else "")
        elif element.tag in CODE:
            in_code = True
        elif element.tag in BLOCKS and not in_code:
            candidate = ("bracket", _bracket_depth(element), "")
        if candidate and candidate[1] > max(MAX_DEPTH, found[0][1] if found else 0):
            found[:] = [candidate]
        for child in element:
            if isinstance(child.tag, str):
                visit(child, quotes, lists, in_code)

    visit(tree, 0, 0, False)
    return found[0] if found else None


def _bracket_depth(block) -> int:
    """How deep brackets nest in a block's own text (not in its code, nor in blocks inside it)."""
    depth = deepest_seen = 0
    for text in _own_text(block):
        for character in text:
            if character == "[":
                depth += 1
                deepest_seen = max(deepest_seen, depth)
            elif character == "]":
                depth = max(0, depth - 1)
    return deepest_seen


def _own_text(block):
    yield block.text or ""
    for child in block:
        if isinstance(child.tag, str) and child.tag not in CODE and child.tag not in BLOCKS:
            yield from _own_text(child)
        yield child.tail or ""


def written_at(body: str, body_line: int, kind: str) -> int:
    """The first line of a page's body where `kind` goes deeper than MAX_DEPTH, found by counting
    brackets, or the `>` or list markers (and list indents) that open a line; else the body's first."""
    index = _first_line_deeper(body, kind, MAX_DEPTH)
    return body_line + (index or 0)


def _first_line_deeper(body: str, kind: str, depth: int) -> int | None:
    lines = body.split("\n")
    in_code = code_mask(lines)
    brackets = 0
    for index, line in enumerate(lines):
        if in_code[index]:
            continue
        if not line.strip():
            brackets = 0
        for character in line:
            if character == "[":
                brackets += 1
            elif character == "]":
                brackets = max(0, brackets - 1)
            if kind == "bracket" and brackets > depth:
                return index
        if kind == "quote" and _opening(line, ">") > depth:
            return index
        indent = len(line) - len(line.lstrip(" "))
        if kind == "list" and _opening(line, "-*+") + indent // 4 > depth:
            return index
    return None


def too_deep_to_read(shown: str, body: str, body_line: int) -> Finding | None:
    """The finding for a body nested so deep that the Markdown reader gives up (a recursion error)
    or slows to minutes (40 KB of nested brackets: over 300 s), found before it reads the body: the
    file's lines counted against GUARD_DEPTH, far beyond what the check above allows. None if none is."""
    for kind in KINDS:
        if (index := _first_line_deeper(body, kind, GUARD_DEPTH)) is not None:
            return _too_deep_to_read(shown, kind, body_line + index)
    return None


def overflowing(shown: str, body: str, body_line: int) -> Finding:
    """The finding for a body whose reading overflowed Python-Markdown's recursion."""
    kind, line = next(
        ((kind, line) for kind in KINDS if (line := written_at(body, body_line, kind)) != body_line),
        ("list", body_line),
    )
    return _too_deep_to_read(shown, kind, line)


def _too_deep_to_read(shown: str, kind: str, line: int) -> Finding:
    what, written, hint = KINDS[kind]
    return Finding(
        shown,
        line,
        "NESTING_DEPTH",
        f"{what} nested too deep to read ({written}); at most {MAX_DEPTH} levels can be typeset",
        hint=hint,
    )


def _opening(line: str, signs: str) -> int:
    """How many of `signs` open the line, spaces between them allowed (`> > >`, `- - -`)."""
    count = 0
    for character in line:
        if character in signs:
            count += 1
        elif character not in " \t":
            break
    return count
