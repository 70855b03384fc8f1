"""The toolkit's MkDocs plugin: a thin layer of event hooks over the core.

- the glossary page's table comes from the glossary data file, in the page's language;
- the downloads panel lists the editions built by `guidelines build`, with format, size and checksum;
- the toolkit's stylesheet (comparison boxes, downloads panel) is added to every page.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

from guidelines.editions import FORMATS
from guidelines.editions.build import read_manifest
from guidelines.glossary import MARKER as GLOSSARY_MARKER
from guidelines.glossary import glossary_table, load_glossary
from guidelines.labels import label
from guidelines.markdown import DOWNLOADS_MARKER
from guidelines.project import GLOSSARY_FILE
from guidelines.site import DOWNLOADS_ENV

STYLESHEET = "assets/guidelines.css"
STYLESHEET_SOURCE = Path(__file__).parent / "assets" / "guidelines.css"


class GuidelinesConfig(Config):
    version = c.Type(str)
    edition_excludes = c.ListOfItems(c.Type(str), default=[])
    edition_name = c.Type(str, default="guidelines")


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


def downloads_panel(files, language: str, languages: list[str], page_url: str) -> str:
    """An HTML table of the editions, the reader's language first. Raw HTML, so MkDocs does not treat
    the files (which are not in docs/) as broken links."""
    if not files:
        return f"<p>{html.escape(label(language, 'not_built'))}</p>"
    order = {code: index for index, code in enumerate([language, *[c for c in languages if c != language]])}
    rows = []
    for edition in sorted(files, key=lambda f: (order.get(f.language, 99), FORMATS.index(f.format))):
        href = get_relative_url(f"downloads/{edition.file}", page_url)
        language_name = label(language, f"language.{edition.language}")
        rows.append(
            f'<tr><td><a href="{html.escape(href)}" hreflang="{edition.language}" download>'
            f"{html.escape(label(language, edition.format))}</a></td>"
            f"<td>{html.escape(language_name)}</td><td>{_size(edition.size)}</td>"
            f"<td><code>{edition.sha256}</code></td></tr>"
        )
    head = "".join(
        f"<th>{html.escape(label(language, key))}</th>" for key in ("format", "language", "size", "checksum")
    )
    return f'<table class="downloads"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


class GuidelinesPlugin(BasePlugin[GuidelinesConfig]):
    def on_config(self, config):
        self.languages = self._languages(config)
        docs_dir = Path(config["docs_dir"])
        # static-i18n points docs_dir at the language folder during its builds; the glossary sits above.
        glossary_path = next(
            (p for p in (docs_dir / GLOSSARY_FILE, docs_dir.parent / GLOSSARY_FILE) if p.is_file()), None
        )
        self.glossary = (
            load_glossary(glossary_path, str(glossary_path), self.languages) if glossary_path else []
        )
        manifest = os.environ.get(DOWNLOADS_ENV)
        self.downloads = read_manifest(Path(manifest)) if manifest else []
        if STYLESHEET not in config["extra_css"]:
            config["extra_css"].append(STYLESHEET)
        return config

    @staticmethod
    def _languages(config) -> list[str]:
        i18n = config["plugins"].get("i18n")
        if i18n is None:
            return [config["theme"]["language"]]
        return [language.locale for language in i18n.config.languages]

    def _page_language(self, page, config) -> str:
        first = page.file.src_uri.split("/", 1)[0]
        return first if first in self.languages else config["theme"]["language"]

    def on_page_markdown(self, markdown, page, config, files):
        language = self._page_language(page, config)
        lines = []
        for line in markdown.split("\n"):
            if line.strip() == GLOSSARY_MARKER:
                lines.append(glossary_table(self.glossary, language, self.languages))
            elif line.strip() == DOWNLOADS_MARKER:
                lines.append(downloads_panel(self.downloads, language, self.languages, page.url))
            else:
                lines.append(line)
        return "\n".join(lines)

    def on_post_build(self, config):
        target = Path(config["site_dir"]) / STYLESHEET
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(STYLESHEET_SOURCE.read_bytes())


__all__ = ["GuidelinesPlugin"]
