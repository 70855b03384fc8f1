"""The toolkit's MkDocs plugin, split as Material's plugins are: `config` (its settings' schema and
what a build tells it through the environment), `plugin` (the event hooks, a thin layer over the
core) and `panels` (the HTML and Markdown it adds to the pages)."""

from guidelines.mkdocs_plugin.plugin import GuidelinesPlugin

__all__ = ["GuidelinesPlugin"]
