"""The project as the toolkit sees it: mkdocs.yml and the toolkit's settings, loaded and validated once."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guidelines import git
from guidelines.findings import Finding, FindingsError, relative

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "guidelines"
I18N_PLUGIN = "i18n"
GLOSSARY_FILE = "glossary.yml"

# The region completes the language tag (PDF /Lang, DOCX w:lang, Typst hyphenation and quotes).
DEFAULT_REGIONS = {"en": "GB", "lv": "LV", "lt": "LT"}


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml like MkDocs does, without importing anything a tag names."""


class CodeInSettings(yaml.YAMLError):
    """A `!!python/…` tag in mkdocs.yml: MkDocs's loader would import or run what it names."""

    def __init__(self, tag: str, mark: yaml.Mark):
        super().__init__(tag)
        self.tag = tag
        self.mark = mark


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    # MkDocs' `!ENV [NAME, default]` or `!ENV NAME`.
    names = (
        loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else [loader.construct_scalar(node)]
    )
    *variables, default = names if len(names) > 1 else [*names, None]
    for name in variables:
        if name in os.environ:
            return os.environ[name]
    return default


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    # mkdocs.yml changes through pull requests like the text; MkDocs reads it with PyYAML's full
    # loader, where `!!python/object/apply:os.system` runs a command. Refused before MkDocs sees it.
    raise CodeInSettings(f"!!python/{suffix}", node.start_mark)


def _relative_tag(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    # MkDocs' `!relative` (a path relative to the page or `$config_dir`): the toolkit's settings hold
    # none; MkDocs resolves it for the extensions that use it.
    return str(loader.construct_scalar(node))


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_constructor("!relative", _relative_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


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

    def is_outside_nav(self, name: str) -> bool:
        """Does MkDocs' `not_in_nav` (gitignore-style patterns) cover this page of a language folder?"""
        return any(
            fnmatch.fnmatch(name, pattern.lstrip("/")) or fnmatch.fnmatch(name.rsplit("/", 1)[-1], pattern)
            for pattern in self.not_in_nav
        )

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


def source_date_epoch(root: Path) -> int | None:
    """The moment outputs are dated with, so two builds of one commit are identical."""
    if value := os.environ.get("SOURCE_DATE_EPOCH"):
        return int(value)
    try:
        output = git.git(root, "log", "-1", "--format=%ct").strip()
    except git.GitError:
        return None
    return int(output) if output else None


def _line_of_key(node: yaml.Node | None, key: str) -> int:
    """The line of mkdocs.yml where a setting (`plugins.guidelines.version`) is written, from the
    YAML's nodes: a plugin in the `plugins` list is found by its name; where a key is missing, the
    line of the nearest setting above it that is there."""
    line = 0
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
            return line
        line, node = found[0].start_mark.line + 1, found[1]
    return line


def load_project(root: Path | str = ".") -> Project:
    """Load and validate the project's settings; raises FindingsError naming the key and the file."""
    root = Path(root).resolve()
    config_path = root / CONFIG_FILE
    shown = relative(config_path, root)
    if not config_path.is_file():
        raise FindingsError(
            [Finding(shown, 0, "CONFIG", f"no {CONFIG_FILE} here; run the command in the project folder")]
        )
    text = config_path.read_text(encoding="utf-8")
    try:
        config = yaml.load(text, Loader=_ConfigLoader) or {}
        nodes = yaml.compose(text, Loader=_ConfigLoader)  # for the lines of the settings
    except CodeInSettings as error:
        raise FindingsError(
            [
                Finding(
                    shown,
                    error.mark.line + 1,
                    "CONFIG",
                    f"the tag '{error.tag}' would run Python code when the site is built",
                    hint="remove the tag and write the setting as a plain value; the toolkit refuses "
                    "every !!python/ tag in the settings",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise FindingsError(
            [Finding(shown, line, "CONFIG", f"not valid YAML: {getattr(error, 'problem', error)}")]
        ) from None

    problems: list[Finding] = []

    def problem(key: str, message: str, line: int | None = None) -> None:
        where = _line_of_key(nodes, key) if line is None else line
        problems.append(Finding(shown, where, "CONFIG", f"'{key}': {message}"))

    if not isinstance(config, dict):
        raise FindingsError([Finding(shown, 1, "CONFIG", "expected a mapping of settings")])
    for key in ("site_name", "site_url", "nav"):
        if not config.get(key):
            problem(key, "is required")
    plugins = _plugins(config.get("plugins") or [])
    i18n = plugins.get(I18N_PLUGIN)
    if i18n is None:
        problem("plugins", f"the '{I18N_PLUGIN}' plugin (mkdocs-static-i18n) is required")
    settings = plugins.get(PLUGIN_NAME)
    if settings is None:
        problem("plugins", f"the '{PLUGIN_NAME}' plugin is required")
    if problems:
        raise FindingsError(problems)

    languages = _languages(i18n, config, problem)
    nav_node = next((v for k, v in nodes.value if k.value == "nav"), None)
    nav = tuple(_walk_nav(nav_node, None, problem))
    version = settings.get("version", "")
    if not isinstance(version, str) or not version.strip():
        # Quoted: YAML reads 1.10 as the number 1.1. The plugin's schema says the same.
        problem(f"plugins.{PLUGIN_NAME}.version", 'is required, in quotes: the version, e.g. "1.0"')
        version = ""
    version = version.strip()
    excludes = settings.get("edition_excludes", [])
    if not isinstance(excludes, list) or not all(isinstance(item, str) for item in excludes):
        problem(f"plugins.{PLUGIN_NAME}.edition_excludes", "must be a list of page file names")
        excludes = []
    unknown = sorted(set(settings) - {"version", "edition_excludes", "edition_name"})
    for key in unknown:
        problem(f"plugins.{PLUGIN_NAME}.{key}", "is not a setting of the toolkit")
    if problems:
        raise FindingsError(problems)

    return Project(
        root=root,
        config_path=config_path,
        docs_dir=root / config.get("docs_dir", "docs"),
        site_dir=root / config.get("site_dir", "site"),
        site_url=str(config["site_url"]).rstrip("/") + "/",
        site_name=str(config["site_name"]),
        languages=languages,
        nav=nav,
        version=version,
        edition_excludes=frozenset(excludes),
        edition_name=str(settings.get("edition_name", "guidelines")),
        not_in_nav=tuple(
            line.strip() for line in str(config.get("not_in_nav") or "").splitlines() if line.strip()
        ),
    )


def _plugins(entries: list | dict) -> dict[str, dict]:
    if isinstance(entries, dict):
        return {name: value or {} for name, value in entries.items()}
    plugins: dict[str, dict] = {}
    for entry in entries:
        if isinstance(entry, str):
            plugins[entry] = {}
        elif isinstance(entry, dict):
            for name, value in entry.items():
                plugins[name] = value or {}
    return plugins


def _languages(i18n: dict, config: dict, problem) -> tuple[Language, ...]:
    entries = i18n.get("languages")
    if not isinstance(entries, list) or not entries:
        problem(f"plugins.{I18N_PLUGIN}.languages", "must be a list of languages with 'locale' and 'name'")
        return ()
    languages = []
    for entry in entries:
        if not isinstance(entry, dict):
            problem(
                f"plugins.{I18N_PLUGIN}.languages",
                f"{entry!r} should be a language with its settings, e.g. '- locale: {entry}' and 'name: …'",
            )
            continue
        code = str(entry.get("locale", ""))
        if not re.fullmatch(r"[a-z]{2,3}", code):
            problem(f"plugins.{I18N_PLUGIN}.languages", f"locale {code!r} is not a two-letter language code")
            continue
        languages.append(
            Language(
                code=code,
                name=str(entry.get("name", code)),
                region=str(entry.get("region", DEFAULT_REGIONS.get(code, code.upper()))),
                site_name=str(entry.get("site_name", config.get("site_name", ""))),
                is_source=bool(entry.get("default", False)),
            )
        )
    if sum(language.is_source for language in languages) != 1:
        problem(
            f"plugins.{I18N_PLUGIN}.languages", "exactly one language must have 'default: true' (the source)"
        )
    return tuple(languages)


def _walk_nav(node: yaml.Node | None, section: str | None, problem):
    """The pages of the navigation, each with the line of mkdocs.yml where it is listed."""
    if not isinstance(node, yaml.SequenceNode):
        problem("nav", "must be a list of pages")
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
