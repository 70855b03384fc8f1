"""Search per language: one index for each language, stemmed and diacritic-folded in the browser.

mkdocs-static-i18n writes a single index for all languages with English settings, so a Latvian
reader searched English pages with English stop words. After the build, `split_index` writes one
index per language; each language's pages name their own index in a `<meta>` tag, where the
toolkit's page script (assets/theme/lazy-search-index.js) sends Material's index request, and the
`lunr.lv` / `lunr.lt` / `lunr.english` modules (assets/search/stemmers.js) stem and fold the words
of the pages and of the reader's query.

Material's `__config.base` stays the site's root in every language: its version selector finds
versions.json and the other versions from there (a base at `lv/` would send it to `/1.0/versions.json`).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from guidelines.project import language_prefix

INDEX = "search/search_index.json"
STEMMERS = Path(__file__).parent / "assets" / "search" / "stemmers.js"
# The lunr language module of each language, shipped by the toolkit (lunr-languages has no lv or lt;
# English gets a module too, so that its queries are stemmed like the others).
LUNR_MODULES = {"lv": "lv", "lt": "lt", "en": "english"}
LUNR_DIR = "assets/javascripts/lunr/min"
INDEX_META = "guidelines:search-index"


def language_of(location: str, languages: list[str], source: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in languages and first != source else source


def split_index(site_dir: Path, languages: list[str], source: str) -> dict[str, int]:
    """Rewrite the shared index as one index per language; returns the size in bytes of each."""
    shared = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    sizes = {}
    for language in languages:
        prefix = language_prefix(language, source)
        # Locations stay relative to the site root, which is Material's base in every language.
        docs = [doc for doc in shared["docs"] if language_of(doc["location"], languages, source) == language]
        config = dict(shared["config"])
        if language in LUNR_MODULES:
            config.update(lang=[LUNR_MODULES[language]], pipeline=["trimmer", "stemmer"])
        target = site_dir / prefix / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        target.write_text(data, encoding="utf-8")
        sizes[language] = len(data.encode("utf-8"))
    return sizes


def install_stemmers(site_dir: Path) -> None:
    """Material's search worker loads `lunr.<lang>.min.js` for each language in the index config."""
    code = STEMMERS.read_text(encoding="utf-8")
    for module in LUNR_MODULES.values():
        target = site_dir / LUNR_DIR / f"lunr.{module}.min.js"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")


def point_search_at_language(html: str, page_url: str, language: str, source: str) -> str:
    """Name the page's own language index, relative to the page, for the page script to load."""
    page_dir = posixpath.dirname(page_url.rstrip("/") + "/index.html") if page_url else ""
    target = language_prefix(language, source) + INDEX
    relative = posixpath.relpath(target, page_dir or ".")
    meta = f'<meta name="{INDEX_META}" content="{relative}">'
    return html.replace("</head>", f"{meta}\n</head>", 1)
