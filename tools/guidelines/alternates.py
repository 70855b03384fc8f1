"""Every page's language versions, told to search engines through the sitemap.

static-i18n's sitemap lists only the source pages, without `x-default`; here it lists every page of
every language, each with absolute hreflang alternates for all languages plus `x-default`.

The pages' own `<link rel="alternate">` tags are removed: Material's script fetches
`<alternate>/sitemap.xml` for each of them on every page view (three wasted requests, to the
published host even on a local preview), and the sitemap already tells search engines the same.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from guidelines.project import language_prefix

ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def language_url(site_url: str, language: str, source: str, path: str) -> str:
    return site_url + language_prefix(language, source) + path


def source_path(page_url: str, language: str, source: str) -> str:
    """The page's URL without its language prefix: the same for all its language versions."""
    return page_url.removeprefix(language_prefix(language, source))


def remove_alternate_links(html: str) -> str:
    return ALTERNATE_LINK.sub("", html)


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
