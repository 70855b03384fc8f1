"""Where a page's file lives in the repository's web interface (GitHub): to edit it, to read it,
to copy its text, and to create a translation that does not exist yet.

mkdocs.yml names the repository once (`repo_url`) and, relative to it, the branch and the docs folder
(`edit_uri: edit/main/docs/`); MkDocs joins them with the page's file (`lv/05-x.md`) into the page's
`edit_url`. The other addresses are the same path under GitHub's other verbs.
"""

from __future__ import annotations

from dataclasses import dataclass

EDIT = "edit/"


@dataclass(frozen=True)
class Repository:
    url: str  # https://github.com/owner/name
    branch_and_docs: str  # "main/docs/": what follows the verb in every address

    @classmethod
    def from_config(cls, repo_url: str | None, edit_uri: str | None) -> Repository | None:
        """The repository mkdocs.yml names, if it names one with an `edit/<branch>/<docs>/` edit_uri."""
        if not repo_url or not edit_uri or not edit_uri.startswith(EDIT):
            return None
        rest = edit_uri[len(EDIT) :]
        return cls(repo_url.rstrip("/"), rest if rest.endswith("/") else rest + "/")

    def _address(self, verb: str, path: str) -> str:
        return f"{self.url}/{verb}/{self.branch_and_docs}{path}"

    def edit(self, path: str) -> str:
        """GitHub's web editor for `path` (inside docs/, e.g. "lv/05-x.md")."""
        return self._address("edit", path)

    def view(self, path: str) -> str:
        """The file as GitHub shows it: formatted, with its history and an edit button."""
        return self._address("blob", path)

    def raw(self, path: str) -> str:
        """The file's plain text, to copy."""
        return self._address("raw", path)

    def new_file(self, folder: str, name: str) -> str:
        """GitHub's page for creating `name` in `folder` (inside docs/), the name already filled in."""
        return f"{self._address('new', folder)}?filename={name}"
