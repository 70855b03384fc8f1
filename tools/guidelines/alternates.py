"""Every page's language versions, told to search engines: absolute hreflang links and the sitemap.

Material writes relative `<link rel="alternate">` links and static-i18n's sitemap lists only the
source pages, neither with `x-default`. Here each page gets absolute alternates for every language
plus `x-default` (the source language), and the sitemap lists every page of every language.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def language_url(site_url: str, language: str, source: str, path: str) -> str:
    return site_url + ("" if language == source else f"{language}/") + path


def source_path(page_url: str, language: str, source: str) -> str:
    """The page's URL without its language prefix: the same for all its language versions."""
    return page_url if language == source else page_url.removeprefix(f"{language}/")


def alternate_links(path: str, languages: list[str], source: str, site_url: str) -> str:
    pairs = [(code, language_url(site_url, code, source, path)) for code in languages]
    pairs.append(("x-default", language_url(site_url, source, source, path)))
    return "\n    ".join(
        f'<link rel="alternate" href="{escape(url)}" hreflang="{code}">' for code, url in pairs
    )


def absolute_alternates(
    html: str, page_url: str, language: str, languages: list[str], source: str, site_url: str
) -> str:
    """Replace Material's relative alternate links in the page's head with absolute ones."""
    links = list(ALTERNATE_LINK.finditer(html))
    if not links:
        return html
    path = source_path(page_url, language, source)
    start, end = links[0].start(), links[-1].end()
    return html[:start] + "\n    " + alternate_links(path, languages, source, site_url) + html[end:]


def sitemap(paths: list[str], languages: list[str], source: str, site_url: str, lastmod: str) -> str:
    """A sitemap with one entry per page and language, each listing all its alternates."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for path in sorted(set(paths)):
        alternates = [(code, language_url(site_url, code, source, path)) for code in languages]
        alternates.append(("x-default", language_url(site_url, source, source, path)))
        for code in languages:
            lines += [
                "  <url>",
                f"    <loc>{escape(language_url(site_url, code, source, path))}</loc>",
                f"    <lastmod>{lastmod}</lastmod>",
            ]
            lines += [
                f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href="{escape(url)}"/>'
                for hreflang, url in alternates
            ]
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
