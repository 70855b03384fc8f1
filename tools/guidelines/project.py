"""The project as the toolkit sees it: mkdocs.yml and the toolkit's settings, loaded and validated once.

MkDocs reads the settings file itself (its loader: `!ENV`, `!relative`, `INHERIT`) and validates it with
its schema, which validates each plugin's settings with the plugin's own: the toolkit's
(`guidelines.mkdocs_plugin.config`) and static-i18n's languages. The toolkit adds what it needs on
top, and places every problem at its file and line from the YAML's nodes."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guidelines import git
from guidelines.findings import Finding, FindingsError, ToolError, relative

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "guidelines"
I18N_PLUGIN = "i18n"
GLOSSARY_FILE = "glossary.yml"

# The region completes the language tag (PDF /Lang, DOCX w:lang, Typst hyphenation and quotes).
DEFAULT_REGIONS = {"en": "GB", "lv": "LV", "lt": "LT"}


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    region: str
    site_name: str
    is_source: bool

    @property
    def tag(self) -> str:
        """BCP 47 tag with region, e.g. `lv-LV`."""
        return f"{self.code}-{self.region}"


@dataclass(frozen=True)
class NavEntry:
    """One page of the navigation, in order; `section` names the nav section it sits in, if any."""

    file: str
    section: str | None
    line: int


@dataclass(frozen=True)
class Project:
    root: Path
    config_path: Path
    docs_dir: Path
    site_dir: Path
    site_url: str
    site_name: str
    languages: tuple[Language, ...]
    nav: tuple[NavEntry, ...]
    version: str
    edition_excludes: frozenset[str] = field(default_factory=frozenset)
    edition_name: str = "guidelines"
    not_in_nav: tuple[str, ...] = ()  # MkDocs' `not_in_nav` patterns: pages meant to be outside the nav
    config_files: tuple[Path, ...] = ()  # the settings file and the files it inherits
    nav_path: Path | None = None  # the settings file that lists the navigation, if not config_path
    # The site's Markdown extensions and their settings, as MkDocs's schema made them (with its
    # built-in `toc`, `tables` and `fenced_code`): what `guidelines.rendering` reads a page with.
    markdown_extensions: tuple[str, ...] = ()
    markdown_configs: dict = field(default_factory=dict, compare=False)

    def is_outside_nav(self, name: str) -> bool:
        """Does MkDocs' `not_in_nav` (gitignore-style patterns) cover this page of a language folder?"""
        return any(
            fnmatch.fnmatch(name, pattern.lstrip("/")) or fnmatch.fnmatch(name.rsplit("/", 1)[-1], pattern)
            for pattern in self.not_in_nav
        )

    @property
    def config_file(self) -> Path:
        """The settings file as `load_project` takes it: relative to the project folder when inside it."""
        return Path(relative(self.config_path, self.root))

    @property
    def nav_file(self) -> Path:
        """The settings file whose lines the navigation's entries carry."""
        return self.nav_path or self.config_path

    @property
    def source_language(self) -> Language:
        return next(language for language in self.languages if language.is_source)

    def language(self, code: str) -> Language:
        for language in self.languages:
            if language.code == code:
                return language
        raise KeyError(code)

    def language_dir(self, language: Language | str) -> Path:
        code = language if isinstance(language, str) else language.code
        return self.docs_dir / code

    @property
    def settings_paths(self) -> tuple[Path, ...]:
        """The settings file and the files it inherits: what a change to the settings is a change in."""
        return self.config_files or (self.config_path,)

    @property
    def glossary_path(self) -> Path:
        return self.docs_dir / GLOSSARY_FILE

    @property
    def edition_files(self) -> tuple[NavEntry, ...]:
        """The pages that make up a PDF or DOCX edition, in navigation order."""
        return tuple(entry for entry in self.nav if entry.file not in self.edition_excludes)

    def display(self, path: Path) -> str:
        return relative(path, self.root)

    def edition_date(self) -> dt.date:
        return edition_date(self.root)


def language_prefix(language: str, source: str) -> str:
    """Where a language lives in the site and its docs: the source at the root, others in "<code>/"."""
    return "" if language == source else f"{language}/"


def edition_date(root: Path) -> dt.date:
    """The date outputs carry: SOURCE_DATE_EPOCH, else the last commit, else today."""
    epoch = source_date_epoch(root)
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date() if epoch is not None else dt.date.today()


def epoch_from_environment() -> int | None:
    """SOURCE_DATE_EPOCH, the moment every reproducible build is dated by where it is set
    (reproducible-builds.org), or None."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ToolError(
            f"SOURCE_DATE_EPOCH is {value!r}, not a moment: give the seconds since 1970-01-01 UTC "
            "(`date +%s`), or unset it"
        )
    return int(value)


def source_date_epoch(root: Path) -> int | None:
    """The moment outputs are dated with, so two builds of one commit are identical."""
    if (epoch := epoch_from_environment()) is not None:
        return epoch
    try:
        output = git.git(root, "log", "-1", "--format=%ct").strip()
    except git.GitError:
        return None
    return int(output) if output else None


def load_project(root: Path | str = ".", config_file: Path | str = CONFIG_FILE) -> Project:
    """Read the project's settings file (`config_file`, relative to `root`) with MkDocs's own loader
    and schema, as `mkdocs build -f` reads it; raises FindingsError naming the key, the file and the
    line of each problem."""
    from guidelines.site import read_settings  # the site engine stays behind guidelines.site

    root = Path(root).resolve()
    config_path = (root / config_file).absolute()
    if not config_path.is_file():
        shown = relative(config_path, root)
        raise FindingsError(
            [Finding(shown, 0, "CONFIG", f"no {shown} here; run the command in the project folder")]
        )
    files = settings_files(config_path, root)
    config, problems = read_settings(config_path)
    if problems:
        raise FindingsError([_finding(files, root, key, message) for key, message in problems])
    return project_from_config(config, root, files)


def project_from_config(config, root: Path | None = None, files: SettingsFiles | None = None) -> Project:
    """The project of settings MkDocs has read and validated (`load_project`'s, or the config MkDocs
    passes its plugins): the toolkit's own requirements on top of MkDocs's, static-i18n's and the
    toolkit plugin's schemas."""
    config_path = Path(config["config_file_path"])
    root = root or config_path.parent
    files = files or settings_files(config_path, root)
    problems: list[Finding] = []

    def problem(key: str, message: str, line: int | None = None) -> None:
        path, where = _place_of_key(files, key)
        problems.append(
            Finding(relative(path, root), where if line is None else line, "CONFIG", f"'{key}': {message}")
        )

    for key in ("site_url", "nav"):
        if not config[key]:
            problem(key, "is required")
    i18n = config["plugins"].get(I18N_PLUGIN)
    if i18n is None:
        problem("plugins", f"the '{I18N_PLUGIN}' plugin (mkdocs-static-i18n) is required")
    toolkit = config["plugins"].get(PLUGIN_NAME)
    if toolkit is None:
        problem("plugins", f"the '{PLUGIN_NAME}' plugin is required")
    if problems:
        raise FindingsError(problems)

    languages = _languages(i18n.config.languages, config["site_name"], problem)
    nav_path, nav_node = _node_of_key(files, "nav")
    nav = tuple(_walk_nav(nav_node, None, problem))
    if problems:
        raise FindingsError(problems)
    settings = toolkit.config
    return Project(
        root=root,
        config_path=config_path,
        docs_dir=Path(config["docs_dir"]),
        site_dir=Path(config["site_dir"]),
        site_url=str(config["site_url"]).rstrip("/") + "/",
        site_name=str(config["site_name"]),
        languages=languages,
        nav=nav,
        version=settings.version.strip(),
        edition_excludes=frozenset(settings.edition_excludes),
        edition_name=settings.edition_name,
        not_in_nav=tuple(
            line.strip() for line in str(_raw(files, "not_in_nav") or "").splitlines() if line.strip()
        ),
        config_files=tuple(path for path, _ in files),
        nav_path=nav_path,
        markdown_extensions=tuple(config["markdown_extensions"]),
        markdown_configs=dict(config["mdx_configs"]),
    )


def _languages(entries, site_name: str, problem) -> tuple[Language, ...]:
    """The languages static-i18n's schema validated, as the toolkit needs them: a plain language code
    (the region completes the tag) and exactly one source."""
    languages = []
    for entry in entries:
        if not re.fullmatch(r"[a-z]{2,3}", entry.locale):
            problem(
                f"plugins.{I18N_PLUGIN}.languages",
                f"locale {entry.locale!r} is not a two-letter language code",
            )
            continue
        languages.append(
            Language(
                code=entry.locale,
                name=entry.name,
                region=DEFAULT_REGIONS.get(entry.locale, entry.locale.upper()),
                site_name=entry.site_name or site_name,
                is_source=entry.default,
            )
        )
    if sum(language.is_source for language in languages) != 1:
        problem(
            f"plugins.{I18N_PLUGIN}.languages", "exactly one language must have 'default: true' (the source)"
        )
    return tuple(languages)


def _walk_nav(node: yaml.Node | None, section: str | None, problem):
    """The pages of the navigation, each with the line of the settings file where it is listed."""
    if not isinstance(node, yaml.SequenceNode):
        problem("nav", "must be a list of pages", node.start_mark.line + 1 if node else 0)
        return
    for item in node.value:
        line = item.start_mark.line + 1
        if isinstance(item, yaml.ScalarNode):
            yield NavEntry(item.value, section, line)
        elif isinstance(item, yaml.MappingNode) and len(item.value) == 1:
            ((title, value),) = item.value
            if isinstance(value, yaml.ScalarNode):
                yield NavEntry(value.value, section, value.start_mark.line + 1)
            else:
                yield from _walk_nav(value, str(title.value), problem)
        else:
            problem("nav", "an entry is neither a page nor a section", line)


# --- where a setting is written -------------------------------------------------------------------
# MkDocs's loader gives values, not places: the lines come from the YAML's nodes of the settings file
# and of the files it inherits (`INHERIT`), read as YAML only (composed, never constructed).

SettingsFiles = list[tuple[Path, yaml.Node]]
YAML_TAGS = "tag:yaml.org,2002:"  # what `!!` stands for
PYTHON_TAG = f"{YAML_TAGS}python/"


def settings_files(config_path: Path, root: Path) -> SettingsFiles:
    """The settings file and the files it inherits, nearest first, each with its YAML nodes. Refuses
    a file that is not YAML, an inherited file that is not there, and every `!!python/…` tag: MkDocs
    reads the settings with PyYAML's full loader, where `!!python/object/apply:os.system` runs a
    command, and the settings change through pull requests like the text."""
    files: SettingsFiles = []
    path = config_path
    while path is not None:
        shown = relative(path, root)
        if path in (seen for seen, _ in files):  # at the INHERIT that closes the circle
            inheriting, node = files[-1]
            line = _value_node(node, "INHERIT").start_mark.line + 1
            message = f"'INHERIT': inheriting {shown} closes a circle of files that inherit from each other"
            raise FindingsError([Finding(relative(inheriting, root), line, "CONFIG", message)])
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise FindingsError(
                [
                    Finding(
                        shown,
                        mark.line + 1 if mark else 0,
                        "CONFIG",
                        f"not valid YAML: {getattr(error, 'problem', error)}",
                    )
                ]
            ) from None
        except UnicodeDecodeError as error:
            raise FindingsError([Finding(shown, 0, "CONFIG", f"not UTF-8 text: {error.reason}")]) from None
        if not isinstance(node, yaml.MappingNode):
            raise FindingsError([Finding(shown, 1, "CONFIG", "expected a mapping of settings")])
        if tagged := _python_tag(node):
            raise FindingsError(
                [
                    Finding(
                        shown,
                        tagged.start_mark.line + 1,
                        "CONFIG",
                        f"the tag '!!{tagged.tag.removeprefix(YAML_TAGS)}' would run Python code "
                        "when the site is built",
                        hint="remove the tag and write the setting as a plain value; the toolkit refuses "
                        "every !!python/ tag in the settings",
                    )
                ]
            )
        files.append((path, node))
        inherit = _value_node(node, "INHERIT")
        path = None
        if inherit is not None:
            path = (files[-1][0].parent / str(inherit.value)).absolute()
            if not path.is_file():
                raise FindingsError(
                    [
                        Finding(
                            shown,
                            inherit.start_mark.line + 1,
                            "CONFIG",
                            f"'INHERIT': there is no file {inherit.value!r}",
                        )
                    ]
                )
    return files


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    """Every node in the file's order (a node an alias repeats visited once)."""
    waiting, seen = [node], set()
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.SequenceNode):
            waiting.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            waiting.extend(part for pair in reversed(node.value) for part in reversed(pair))


def _python_tag(node: yaml.Node) -> yaml.Node | None:
    """The first node with a `!!python/…` tag, if any."""
    return next((found for found in _nodes(node) if found.tag.startswith(PYTHON_TAG)), None)


def _value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    return next((value for name, value in node.value if name.value == key), None)


def _match(node: yaml.Node | None, key: str) -> tuple[int, int, yaml.Node | None]:
    """How many parts of a setting's key (`plugins.guidelines.version`) the nodes hold, the line of
    the deepest one there, and its value: a plugin in the `plugins` list is found by its name."""
    depth = line = 0
    for part in key.split("."):
        if isinstance(node, yaml.SequenceNode):  # `plugins:` as a list of names and one-key mappings
            pairs = [
                (item, item) if isinstance(item, yaml.ScalarNode) else next(iter(item.value), (None, None))
                for item in node.value
                if isinstance(item, yaml.ScalarNode | yaml.MappingNode)
            ]
        else:
            pairs = node.value if isinstance(node, yaml.MappingNode) else []
        found = next((pair for pair in pairs if getattr(pair[0], "value", None) == part), None)
        if found is None:
            return depth, line, None
        depth, line, node = depth + 1, found[0].start_mark.line + 1, found[1]
    return depth, line, node


def _best_match(files: SettingsFiles, key: str) -> tuple[Path, int, yaml.Node | None]:
    # The file that holds the most of the key; the nearest one of those, as MkDocs's merge lets the
    # inheriting file win.
    path, node = files[0]
    best = (*_match(node, key), path)
    for path, node in files[1:]:
        found = (*_match(node, key), path)
        if found[0] > best[0]:
            best = found
    _, line, value, path = best
    return path, line, value


def _place_of_key(files: SettingsFiles, key: str) -> tuple[Path, int]:
    """The file and line where a setting is written; where it is missing, the line of the nearest
    setting above it that is there."""
    path, line, _ = _best_match(files, key)
    return path, line


def _place_of_tag(files: SettingsFiles, message: str) -> tuple[Path, int]:
    for path, node in files:
        for tagged in _nodes(node):
            if (
                tagged.tag.startswith("!")
                and isinstance(tagged, yaml.ScalarNode)
                and repr(tagged.value) in message
            ):
                return path, tagged.start_mark.line + 1
    return files[0][0], 0


def _node_of_key(files: SettingsFiles, key: str) -> tuple[Path, yaml.Node | None]:
    path, _, node = _best_match(files, key)
    return path, node


def _raw(files: SettingsFiles, key: str) -> str | None:
    _, node = _node_of_key(files, key)
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _finding(files: SettingsFiles, root: Path, key: str, message: str) -> Finding:
    """MkDocs's complaint about a setting, at the setting's file and line; a complaint about a tag's
    value (`!relative $nowhere`) names no setting, and is placed at the tag that holds that value."""
    path, line = _place_of_key(files, key) if key else _place_of_tag(files, message)
    hint = ""
    _, node = _node_of_key(files, key) if key else (None, None)
    if isinstance(node, yaml.SequenceNode) and key == f"plugins.{I18N_PLUGIN}.languages":
        plain = next((item.value for item in node.value if isinstance(item, yaml.ScalarNode)), None)
        if plain is not None:  # `- lt`: MkDocs says only that a mapping was expected
            hint = f"write {plain!r} as a language with its settings: '- locale: {plain}' and 'name: …'"
    return Finding(relative(path, root), line, "CONFIG", f"'{key}': {message}" if key else message, hint=hint)
