"""The one reading of the text: a page's Markdown rendered to HTML by the site's own configuration.

The site (MkDocs), the checks and the editions all read this rendering, so they cannot disagree about
what a page says. The extensions and their settings come from mkdocs.yml through MkDocs's own schema
(which adds MkDocs's built-in `toc`, `tables` and `fenced_code`), exactly as `mkdocs build` uses them;
only MkDocs's rewriting of `.md` links into site addresses is left out, so a reader of this HTML still
sees which page and anchor a link names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

import markdown
from mkdocs.config import load_config

from guidelines.project import Project

# Lines the toolkit replaces before rendering: the editions' download panel, and the forms' (in the
# site only).
DOWNLOADS_MARKER = "[[downloads]]"
FORMS_MARKER = "[[forms]]"


@cache
def _markdown_settings(config_path: Path, modified: float) -> tuple[tuple, dict]:
    # MkDocs reports its own notices (a plugin's info lines) through logging; a reading is silent.
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        config = load_config(str(config_path))
    finally:
        logger.setLevel(level)
    return tuple(config.markdown_extensions), dict(config.mdx_configs)


def site_markdown(project: Project) -> markdown.Markdown:
    """A fresh Python-Markdown converter configured as the site's."""
    extensions, configs = _markdown_settings(project.config_path, project.config_path.stat().st_mtime)
    return markdown.Markdown(extensions=list(extensions), extension_configs=configs)


def render(project: Project, text: str) -> str:
    """The HTML the site renders for a page's Markdown body."""
    return _rendered(project.config_path, project.config_path.stat().st_mtime, text)


# A body is read by the checks, the site's pages and "What changed" (an old edition's text beside the
# current one) in one build or preview session: each text is rendered once.
@lru_cache(maxsize=1024)
def _rendered(config_path: Path, modified: float, text: str) -> str:
    extensions, configs = _markdown_settings(config_path, modified)
    return markdown.Markdown(extensions=list(extensions), extension_configs=configs).convert(text)


def expand_markers(text: str, expansions: dict[str, Callable[[], str]]) -> str:
    """The text with each line that is one of the toolkit's markers (`[[glossary-table]]`, …) replaced
    by what it stands for in this reading (the site's glossary table and download panel; in an
    edition, the same table and nothing)."""
    return "\n".join(
        expansions[line.strip()]() if line.strip() in expansions else line for line in text.split("\n")
    )
