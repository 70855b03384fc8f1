"""What the toolkit's MkDocs plugin is told: its settings in mkdocs.yml (a MkDocs schema, validated
by MkDocs when it reads the file, for `mkdocs build` and `guidelines` alike), and what a build by the
toolkit says through the environment, which mkdocs.yml does not."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

# The editions' manifest (the files the downloads panel lists), the number of the released edition
# built (none for the work in progress), and the folder of the published site (`1.1`, `dev`,
# `pr/7`) the pages will live in.
DOWNLOADS_ENV = "GUIDELINES_DOWNLOADS"
VERSION_ENV = "GUIDELINES_VERSION"
PUBLISHED_AS_ENV = "GUIDELINES_PUBLISHED_AS"

VERSION_REQUIRED = 'is required, in quotes: the version, e.g. "1.0"'


class _Version(c.BaseConfigOption[str]):
    """The edition's version: a quoted, non-empty string (YAML reads an unquoted 1.10 as the number
    1.1). Required: a missing one is validated too, with the same message."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise c.ValidationError(VERSION_REQUIRED)
        return value


class GuidelinesConfig(Config):
    version = _Version()
    edition_excludes = c.ListOfItems(c.Type(str), default=[])
    edition_name = c.Type(str, default="guidelines")
