"""The theme's templates, compiled once per process.

MkDocs makes a new template environment for every build, and static-i18n builds once per language:
each build compiled Material's templates again, which cost a third of a small site's build. Jinja
keeps a template's compiled code under its name and file, with a checksum of its source (a changed
template is compiled again); the key here adds the environment's own settings, which change the code.
"""

from __future__ import annotations

import jinja2

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
