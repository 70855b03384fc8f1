"""The theme's templates, compiled once per process.

MkDocs makes a new template environment for every build, and static-i18n builds once per language:
each build compiled Material's templates again, which cost a third of a small site's build. Jinja
keeps a template's compiled code under its name and file, with a checksum of its source (a changed
template is compiled again); the key here adds the environment's own settings, which change the code.
"""

from __future__ import annotations

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.compiled: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        environment = bucket.environment
        return (bucket.key, environment.autoescape, tuple(sorted(environment.extensions)))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(self._key(bucket))) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[self._key(bucket)] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()
