"""The theme's templates, compiled once per process, and its files listed without its hidden folders.

MkDocs makes a new template environment for every build, and static-i18n builds once per language:
each build compiled Material's templates again, which cost a third of a small site's build. Jinja
keeps a template's compiled code under its name and file, with a checksum of its source (a changed
template is compiled again); the key here adds the environment's own settings, which change the code.

Each build also lists every file of the theme, to copy its static ones (`Files.add_files_from_theme`),
and drops every hidden path from the list. Material's hidden `.icons` folder holds 14,500 files: the
listing walked and filtered them all, 0.06 to 0.09 s per language of every build and of every
preview rebuild. `ThemeFiles` lists the same files without entering hidden folders.
"""

from __future__ import annotations

import os

import jinja2
from mkdocs.theme import Theme

# What an environment compiles a template with, besides its extensions.
COMPILER_SETTINGS = (
    "autoescape",
    "finalize",
    "optimized",
    "is_async",
    "trim_blocks",
    "lstrip_blocks",
    "keep_trailing_newline",
    "newline_sequence",
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
)


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.compiled: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        environment = bucket.environment
        settings = tuple(getattr(environment, name) for name in COMPILER_SETTINGS)
        return (bucket.key, settings, tuple(sorted(environment.extensions)))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(self._key(bucket))) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[self._key(bucket)] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


class ThemeFiles(jinja2.FileSystemLoader):
    """A theme's templates, as Jinja's file loader finds them (hidden ones too: Material's templates
    include its icons from `.icons/`), listed without hidden files and folders, which MkDocs never
    copies from a theme."""

    def list_templates(self) -> list[str]:
        found = set()
        for folder in self.searchpath:
            for parent, subfolders, files in os.walk(folder, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                within = os.path.relpath(parent, folder)
                for name in files:
                    if not name.startswith("."):
                        found.add(name if within == "." else f"{within}/{name}".replace(os.path.sep, "/"))
        return sorted(found)


def list_theme_files_lightly(theme: Theme) -> None:
    """Make the template environments MkDocs asks `theme` for list its files with ThemeFiles."""
    if getattr(theme.get_env, "lists_lightly", False):  # static-i18n configures the theme once per language
        return
    make_environment = theme.get_env

    def get_env() -> jinja2.Environment:
        environment = make_environment()
        environment.loader = ThemeFiles(theme.dirs)
        return environment

    get_env.lists_lightly = True
    theme.get_env = get_env
