"""A Content-Security-Policy for every page: the browser runs only the site's own scripts.

GitHub Pages sets no response headers, so the policy is a `<meta http-equiv>` tag at the top of the
page's head. Scripts come from the site's own files, or are the inline scripts of the theme's templates,
each allowed by its SHA-256 hash; everything else the pages load comes from the site itself (pictures
also as data: addresses, which the theme's icons use). A script that passed every check, or was added
to a built page afterwards, has no hash in the policy, so the browser refuses to run it.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

import lxml.html

# Types a browser runs as script; a `<script type="application/json">` (Material's settings) is data.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
HEAD_CHUNK = 4096  # characters of a page read at a time while looking for its <head>


def policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *(f"'sha256-{digest}'" for digest in script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


class _Head(HTMLParser):
    """Where a page's <meta charset> (or its <head> itself) ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.insert_at: tuple[int, int] | None = None
        self.read = False  # the <meta charset> or the end of the <head> was reached

    def handle_starttag(self, tag, attrs):
        charset = tag == "meta" and "charset" in dict(attrs)
        if (tag == "head" and self.insert_at is None) or charset:
            line, offset = self.getpos()
            self.insert_at = (line, offset + len(self.get_starttag_text()))
        self.read = self.read or charset or tag == "body"

    def handle_endtag(self, tag):
        self.read = self.read or tag == "head"


def inline_scripts(page_html: str) -> list[str]:
    """The text of every script written into the page that a browser runs. Read by libxml2's HTML
    parser: Python's took ten times as long over a page with a long navigation."""
    root = lxml.html.document_fromstring(page_html)
    return [
        element.text or ""
        for element in root.iter("script")
        if element.get("src") is None and (element.get("type") or "") in SCRIPT_TYPES
    ]


def with_policy(page_html: str, untrusted: str = "") -> str:
    """The page with its Content-Security-Policy `<meta>` tag. Inline scripts inside `untrusted` (the
    page's content, from the text) get no hash: only the templates' scripts are allowed to run."""
    template_html = page_html.replace(untrusted, "") if untrusted else page_html
    digests = [
        base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        for script in inline_scripts(template_html)
    ]
    # Where the policy goes is near the top: the page is read only as far as its <meta charset>.
    position = _Head()
    for start in range(0, len(page_html), HEAD_CHUNK):
        position.feed(page_html[start : start + HEAD_CHUNK])
        if position.read:
            break
    if position.insert_at is None:
        return page_html
    line, offset = position.insert_at
    index = sum(len(text) + 1 for text in page_html.split("\n")[: line - 1]) + offset  # getpos counts \n
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(list(dict.fromkeys(digests)))}">'
    return page_html[:index] + meta + page_html[index:]
