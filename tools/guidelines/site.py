"""The only module that runs the site engine (MkDocs + Material + mkdocs-static-i18n).

Everything else asks this module for a site; swapping the engine later touches this file and the plugin.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

from guidelines.content import load_content
from guidelines.findings import Finding, FindingsError, ToolError
from guidelines.mkdocs_plugin.config import DOWNLOADS_ENV, PUBLISHED_AS_ENV, VERSION_ENV
from guidelines.preview import Findings, Plan, PreviewState, Sources, page_inputs, plan
from guidelines.project import Project, epoch_from_environment, load_project

# A finding the toolkit's plugin reports as a warning, in the toolkit's own form (Finding.format).
PLUGIN_FINDING = re.compile(
    r"^(?P<path>[^\s:]+)(?::(?P<line>\d+))?: (?P<code>[A-Z][A-Z_]+) "
    r"(?P<message>.*?)(?: \(hint: (?P<hint>.*)\))?$"
)


# How MkDocs words a plugin's problem with its settings ("Plugin 'i18n' option 'languages': …") and a
# plugin it cannot find ('The "i18m" plugin is not installed').
PLUGIN_OPTION = re.compile(r"^Plugin '(?P<plugin>[^']+)'(?: option '(?P<option>[^']+)')?: (?P<message>.*)$")
PLUGIN_MISSING = re.compile(r'^The "(?P<plugin>[^"]+)" plugin is not installed')


def read_settings(config_path: Path) -> tuple[MkDocsConfig, list[tuple[str, str]]]:
    """The settings file read by MkDocs's own loader (`!ENV`, `!relative`, `INHERIT`) and validated by
    its schema, which validates each plugin's settings with the plugin's own schema; with each problem
    as (the setting's dotted key, e.g. `plugins.guidelines.version`, and MkDocs's message). The site
    is built strict, so a warning is a problem too."""
    config = MkDocsConfig(config_file_path=str(config_path))
    # MkDocs reports a plugin's notices through logging; reading the settings is silent.
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with config_path.open("rb") as file:
            config.load_file(file)
        errors, warnings = config.validate()
    except MkDocsException as error:  # e.g. `!relative $nowhere`, a !ENV tag MkDocs cannot read
        return config, [("", str(error))]
    finally:
        logger.setLevel(level)
    problems = []
    for key, message in [*errors, *warnings]:
        for line in str(message).splitlines():
            if key == "plugins" and (found := PLUGIN_OPTION.match(line)):
                option = f".{found['option']}" if found["option"] else ""
                problems.append((f"plugins.{found['plugin']}{option}", found["message"]))
            elif key == "plugins" and (found := PLUGIN_MISSING.match(line)):
                problems.append((f"plugins.{found['plugin']}", line))
            else:
                problems.append((key, line))
    return config, problems


def _environment(
    manifest: Path | None, version: str | None = None, published_as: str | None = None
) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # MkDocs dates the pages by SOURCE_DATE_EPOCH too, and fails on an empty one, which is unset.
    if epoch_from_environment() is None:
        env.pop("SOURCE_DATE_EPOCH", None)
    for name, value in ((DOWNLOADS_ENV, manifest), (VERSION_ENV, version), (PUBLISHED_AS_ENV, published_as)):
        env.pop(name, None)
        if value is not None:
            env[name] = str(value)
    return env


def build_site(
    project: Project,
    site_dir: Path,
    manifest: Path | None,
    published_as: str | None = None,
    edition: str | None = None,
) -> None:
    """Build the website for every language into `site_dir` (strict: any MkDocs warning fails), in
    this process, as `mkdocs build --strict` would in one of its own: the settings read afresh, the
    plugins told what the build is for through the environment."""
    said, failure = _Said(), None
    logger = logging.getLogger("mkdocs")
    logger.addHandler(said)  # and so MkDocs' messages are not printed (Python's last-resort handler)
    try:
        with _environment_of(_environment(manifest, edition, published_as)):
            config = load_config(config_file=str(project.config_path), site_dir=str(site_dir), strict=True)
            _run(config)
    except MkDocsException as error:  # a warning in strict mode, a plugin's error, the settings
        failure = error
    finally:
        logger.removeHandler(said)
    if failure is None:
        return
    if said.messages:
        raise FindingsError([_finding(project, message) for message in said.messages])
    raise ToolError(f"MkDocs could not build the site: {failure}")


class _Said(logging.Handler):
    """What MkDocs and its plugins warned of, or reported as errors, during a build (static-i18n's
    note that lunr lacks Latvian and Lithuanian is INFO; the toolkit handles search itself)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run(config: MkDocsConfig) -> None:
    """A whole build, as `mkdocs build` runs one. MkDocs keeps a plugin with start-up or shut-down hooks
    for the life of the process (Material's search, which its start-up tells that the build is whole);
    the others are made anew with each reading of the settings."""
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _finding(project: Project, message: str) -> Finding:
    """A MkDocs warning as a Finding, pointing at the page it names where it names one."""
    text = message.strip()
    if found := PLUGIN_FINDING.match(text):
        return Finding(
            found["path"], int(found["line"] or 0), found["code"], found["message"], hint=found["hint"] or ""
        )
    page = re.search(r"[Dd]oc file '([^']+)'", text) or re.search(r"'([^']+\.md)'", text)
    path = project.display(project.docs_dir / page.group(1)) if page else project.display(project.config_path)
    return Finding(path, 0, "SITE", text)


# --- the preview ------------------------------------------------------------------------------------

RELOAD_SCRIPT = Path(__file__).parent / "assets" / "preview" / "livereload.js"
RELOAD_SCRIPT_NAME = "guidelines-livereload.js"
# MkDocs warns at every dirty build that its navigation may be wrong; the preview's plan gives the
# skipped pages their titles, and a save that changes what pages exist gets a whole build.
DIRTY_WARNING = "A 'dirty' build is being performed"


class _QuietDirtyBuild(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


class _PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, with its reload script as a file of the site: the pages'
    Content-Security-Policy lets no inline script run, so MkDocs' own inline script never ran."""

    listening: Callable[[], None] = staticmethod(lambda: None)  # called once the port is open

    def server_activate(self) -> None:
        super().server_activate()
        self.listening()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        body_end = content.rfind(b"</body>")
        body_end = len(content) if body_end < 0 else body_end
        tag = (
            f'<script src="{self.mount_path}{RELOAD_SCRIPT_NAME}" data-epoch="{epoch}" '
            f'data-request="{time.monotonic_ns()}"></script>'
        )
        return content[:body_end] + tag.encode() + content[body_end:]


@dataclass
class Rebuild:
    """What one save did: the files that changed, the pages rebuilt, how long it took."""

    changed: list[str]
    findings: list[Finding]
    pages: int  # -1: the whole site
    everything: bool
    seconds: float
    built: bool = True  # False: checked, and the pages are being built (the findings come first)
    address: str = ""  # where the preview is served (the first report only)


class Preview:
    """The site built once into a folder of its own, then, after each save, only the pages the save
    changed (`guidelines.preview` plans which), with MkDocs' dirty build of one language at a time
    (static-i18n's per-language build). The editions are never rebuilt: the download panel shows the
    last `guidelines build`'s and says so."""

    def __init__(self, project: Project, site_dir: Path, serve_url: str):
        self.project = project
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.sources = Sources(project)
        self.state = PreviewState(Findings(project))
        self.inputs: dict = {}
        manifest = project.site_dir / "downloads" / "manifest.json"
        self.environment = _environment(manifest if manifest.exists() else None)
        self._config_bytes = b""

    def start(self) -> list[Finding]:
        """Check everything and build the whole site; returns every finding."""
        content, loading = load_content(self.project)
        found = self.state.findings.check_all(content, loading)
        self._build_everything()
        return found

    def rebuild(self, checked: Callable[[Rebuild], None] | None = None) -> Rebuild:
        """After a save: re-check what changed, tell `checked` what the checks found, then rebuild the
        pages whose inputs changed."""
        started = time.perf_counter()
        if _settings_bytes(self.project) != self._config_bytes:
            self.project = load_project(self.project.root, self.project.config_file)
            self.sources = Sources(self.project)
            content, loading = load_content(self.project)
            self.state.findings = Findings(self.project)
            found = self.state.findings.check_all(content, loading)
            shown = self.project.display(self.project.config_path)
            if checked is not None:
                checked(Rebuild([shown], found, -1, True, time.perf_counter() - started, built=False))
            self._build_everything()
            return Rebuild([shown], found, -1, True, time.perf_counter() - started)
        changed, reloaded = self.state.findings.update()
        self.sources.read_again.clear()
        after = page_inputs(self.project, self.sources, self.state.findings.by_path)
        changed = sorted({*changed, *(self.project.display(path) for path in self.sources.read_again)})
        work = plan(self.inputs, after)
        everything = list(self.state.findings.by_path.values()) if reloaded else []
        found = (
            sorted(f for items in everything for f in items) if reloaded else self.state.findings.of(changed)
        )
        if checked is not None:
            checked(Rebuild(changed, found, 0, work.everything, time.perf_counter() - started, built=False))
        if work.everything:
            self._build_everything()
        else:
            self.state.plan = work
            languages = [
                language.code for language in self.project.languages if work.pages.get(language.code)
            ]
            for language in languages:
                self.state.finishing = language == languages[-1]
                self._build_language(language)
            self.inputs = after
        pages = -1 if work.everything else work.count
        return Rebuild(changed, found, pages, work.everything, time.perf_counter() - started)

    def _config(self):
        config = load_config(config_file=str(self.project.config_path), site_dir=str(self.site_dir))
        config.site_url = self.serve_url
        # A problem is the writer's to see in the terminal and the page, not a reason to stop previewing.
        config.strict = False
        config.plugins["guidelines"].preview = self.state
        return config

    def _build_everything(self) -> None:
        self._config_bytes = _settings_bytes(self.project)
        self.state.plan = Plan(everything=True)
        config = self._config()
        i18n = config.plugins.get("i18n")
        if i18n is not None:  # MkDocs keeps the plugin between builds: start from the first language
            i18n.current_language, i18n.building, i18n.search_entries = i18n.default_language, False, []
        with _environment_of(self.environment):
            build(config, serve_url=self.serve_url)
        self.inputs = page_inputs(self.project, self.sources, self.state.findings.by_path)
        shutil.copyfile(RELOAD_SCRIPT, self.site_dir / RELOAD_SCRIPT_NAME)

    def _build_language(self, language: str) -> None:
        config = self._config()
        i18n = config.plugins.get("i18n")
        if i18n is not None:  # static-i18n builds this language only
            i18n.current_language, i18n.building, i18n.search_entries = language, True, []
        quiet = _QuietDirtyBuild()
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        try:
            with _environment_of(self.environment):
                build(config, serve_url=self.serve_url, dirty=True)
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


def _settings_bytes(project: Project) -> bytes:
    """The settings file and the files it inherits, as they are now."""
    return b"\0".join(path.read_bytes() for path in project.settings_paths)


@contextmanager
def _environment_of(environment: dict[str, str]) -> Iterator[None]:
    """The plugin reads what a build is for from the environment, as in a `mkdocs build` process."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def serve_site(project: Project, address: str, report) -> int:
    """Preview with live reload until interrupted; `report(rebuild)` tells the writer what a save did."""
    host, _, port = address.rpartition(":")
    site_dir = Path(tempfile.mkdtemp(prefix="guidelines-preview-"))
    mount_path = urlsplit(project.site_url or "/").path or "/"
    preview = Preview(project, site_dir, f"http://{host}:{port}{mount_path}")
    logging.getLogger("mkdocs").addHandler(_warnings_handler())
    try:
        started = time.perf_counter()
        findings = preview.start()

        def rebuild() -> None:
            report(preview.rebuild(checked=report))

        server = _PreviewServer(
            builder=rebuild, host=host, port=int(port), root=str(site_dir), mount_path=mount_path
        )
        server.error_handler = lambda code: _error_page(site_dir, code)
        server.watch(str(project.docs_dir))
        for path in project.settings_paths:
            server.watch(str(path))
        # Said once the server listens: the address opens as soon as the writer reads it.
        address = f"http://{host}:{port}{mount_path.rstrip('/')}/"
        seconds = time.perf_counter() - started
        server.listening = lambda: report(Rebuild([], findings, -1, True, seconds, address=address))
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if page.is_file() else None


def _warnings_handler() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    return handler
