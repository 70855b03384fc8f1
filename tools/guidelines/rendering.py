"""The one reading of the text: a page's Markdown rendered to HTML by the site's own configuration.

The site (MkDocs), the checks and the editions all read this rendering, so they cannot disagree about
what a page says. The extensions and their settings come from mkdocs.yml through MkDocs's own schema
(which adds MkDocs's built-in `toc`, `tables` and `fenced_code`), read once with the project's other
settings (`guidelines.project`), exactly as `mkdocs build` uses them;
only MkDocs's rewriting of `.md` links into site addresses is left out, so a reader of this HTML still
sees which page and anchor a link names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import markdown

from guidelines.project import Project

# Lines the toolkit replaces before rendering: the editions' download panel, and the forms' (in the
# site only).
DOWNLOADS_MARKER = "[[downloads]]"
FORMS_MARKER = "[[forms]]"


def site_markdown(project: Project) -> markdown.Markdown:
    """A fresh Python-Markdown converter configured as the site's."""
    return markdown.Markdown(
        extensions=list(project.markdown_extensions), extension_configs=project.markdown_configs
    )


def render(project: Project, text: str) -> str:
    """The HTML the site renders for a page's Markdown body."""
    settings = (project.markdown_extensions, repr(sorted(project.markdown_configs.items())))
    return _rendered(settings, text, project)


# A body is read by the checks, the site's pages and "What changed" (an old edition's text beside the
# current one) in one build or preview session: each text is rendered once for the same settings.
@lru_cache(maxsize=1024)
def _rendered(settings: tuple, text: str, project: Project) -> str:
    return site_markdown(project).convert(text)


def expand_markers(text: str, expansions: dict[str, Callable[[], str]]) -> str:
    """The text with each line that is one of the toolkit's markers (`[[glossary-table]]`, …) replaced
    by what it stands for in this reading (the site's glossary table and download panel; in an
    edition, the same table and nothing)."""
    return "\n".join(
        expansions[line.strip()]() if line.strip() in expansions else line for line in text.split("\n")
    )
