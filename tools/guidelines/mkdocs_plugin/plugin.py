"""The toolkit's MkDocs plugin: a thin layer of event hooks over the core.

- the glossary page's table comes from the glossary data file, in the page's language;
- the downloads panel lists the editions built by `guidelines build`, with format, size and checksum,
  and under them the forms published on their own, per language; a form's page offers its own two files;
- a translation whose source changed since it was checked shows a banner in the reader's language,
  and a page that falls back to the source language says so;
- the translation status page's table (`[[translation-status]]`) lists every chapter and language;
- the toolkit's stylesheet (comparison boxes, downloads panel) is added to every page, and its
  template (assets/theme/) holds the search index back until the reader starts a search;
- every page's final content is checked against the allowlist of safe HTML, and every page gets a
  Content-Security-Policy that lets only the site's own scripts run;
- the "What changed" page (`[[changes]]`) compares the text with the previous released edition;
- a build published as one version of the site (`guidelines release`, `guidelines publish-dev`)
  gets that version's address and Material's version selector (mike's versions.json), with a
  banner in the reader's language on every edition that is not the current one;
- after all languages are built: one search index per language, a sitemap with every language
  version, and a 404 page per language;
- in the preview (`guidelines serve`, `guidelines.preview`): a build of the pages a save changed
  only, the writer's banner of check findings, and a note that the editions are not rebuilt.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import get_relative_url

from guidelines import git
from guidelines.alternates import remove_alternate_links, sitemap, source_path
from guidelines.changes import MARKER as CHANGES_MARKER
from guidelines.changes import changes_page
from guidelines.csp import with_policy
from guidelines.edit_links import Repository
from guidelines.editions.manifest import read_manifest
from guidelines.findings import Finding, FindingsError, relative
from guidelines.glossary import MARKER as GLOSSARY_MARKER
from guidelines.glossary import glossary_table, load_glossary
from guidelines.labels import label
from guidelines.mkdocs_plugin.config import DOWNLOADS_ENV, PUBLISHED_AS_ENV, VERSION_ENV, GuidelinesConfig
from guidelines.mkdocs_plugin.panels import (
    downloads_panel,
    earlier_editions,
    form_panel,
    forms_panel,
    not_found_body,
    outdated_banner,
    preview_banner,
    status_table,
    translation_box,
)
from guidelines.mkdocs_plugin.templates import COMPILED_TEMPLATES, list_theme_files_lightly
from guidelines.preview import PreviewState, downloads_note, findings_banner, merge_search_entries
from guidelines.project import GLOSSARY_FILE, edition_date, language_prefix, project_from_config
from guidelines.rendering import DOWNLOADS_MARKER, FORMS_MARKER, expand_markers
from guidelines.sanitise import html_problems, line_of
from guidelines.search import INDEX, install_stemmers, language_of, point_search_at_language, split_index
from guidelines.translations import (
    State,
    file_source_hash,
    last_change_date,
    recorded_source,
    translation_status,
)
from guidelines.versions import DEV, LATEST, is_preview, released_versions, releases_before

STYLESHEET = "assets/guidelines.css"
STATUS_MARKER = "[[translation-status]]"
ASSETS = Path(__file__).parent.parent / "assets"  # the package's, beside this plugin's folder
STYLESHEET_SOURCE = ASSETS / "guidelines.css"
THEME_DIR = str(ASSETS / "theme")
# Front matter the theme places in the page as it is (its templates do not escape): the title goes
# into <title>, the navigation and the heading, the description into a <meta> attribute.
PLACED_FRONT_MATTER = ("title", "description")

log = logging.getLogger("mkdocs.plugins.guidelines")


class GuidelinesPlugin(BasePlugin[GuidelinesConfig]):
    # Set by the preview (`guidelines.site.Preview`) before each of its builds; None in a published build.
    preview: PreviewState | None = None

    def on_config(self, config):
        # static-i18n runs one build per language with this same config; the first is the site root.
        # MkDocs keeps a plugin between the builds of one process (the preview's): each whole build,
        # and each of the preview's builds of some pages, starts afresh.
        i18n = config["plugins"].get("i18n")
        partial = self.preview is not None and not self.preview.plan.everything
        if i18n is None or not i18n.building or partial:
            self.site_root = Path(config["site_dir"])
            self.docs_root = Path(config["docs_dir"])
            self.page_paths: set[str] = set()
            self.not_found_pages: dict[str, str] = {}
            self.built_urls: set[str] = set()
            self.download_pages: set[str] = set()
            # The settings MkDocs read (`mkdocs build -f other.yml` reads other.yml), before
            # static-i18n points them at one language.
            self.project = _project(config)
            self.root = self.project.root
            self.languages = [language.code for language in self.project.languages]
            self.source_language = self.project.source_language.code
        # static-i18n sets each page's language links as an attribute of `extra` (`extra.alternate =`),
        # which the theme reads before the key it resets for each language: the next language's 404
        # page linked to the other languages' versions of the last page built, not to their homes.
        vars(config["extra"]).pop("alternate", None)
        self._source_hashes: dict[str, str] = {}
        docs_dir = Path(config["docs_dir"])
        # static-i18n points docs_dir at the language folder during its builds; the glossary sits above.
        glossary_path = next(
            (p for p in (docs_dir / GLOSSARY_FILE, docs_dir.parent / GLOSSARY_FILE) if p.is_file()), None
        )
        self.glossary_path = glossary_path
        self.glossary = (
            load_glossary(glossary_path, str(glossary_path), self.languages) if glossary_path else []
        )
        manifest = os.environ.get(DOWNLOADS_ENV)
        self.downloads = read_manifest(Path(manifest)) if manifest else []
        self.edition = os.environ.get(VERSION_ENV)  # the released edition built, if it is one
        self.published_as = os.environ.get(PUBLISHED_AS_ENV)
        self.pull_request_preview = is_preview(self.published_as)  # a pull request's preview, not an edition
        self.repository = Repository.from_config(config["repo_url"], config["edit_uri"])
        self._configure_versions(config)
        if STYLESHEET not in config["extra_css"]:
            config["extra_css"].append(STYLESHEET)
        # The toolkit's template overrides come after the project's own custom_dir, before Material's.
        if THEME_DIR not in config["theme"].dirs:
            config["theme"].dirs.insert(1 if config["theme"].custom_dir else 0, THEME_DIR)
        list_theme_files_lightly(config["theme"])
        return config

    def _configure_versions(self, config) -> None:
        """A published version lives in `<site_url><version>/`, which its links (static-i18n's language
        switcher among them) must say, and shows Material's version selector (`extra.version`, which
        reads mike's versions.json). An unpublished build (site/, `guidelines serve`) has no
        versions.json to read, and a pull request's preview (`pr/7/`) is no version: neither shows
        the selector."""
        if self.published_as:
            suffix = f"{self.published_as}/"
            if not config["site_url"].endswith(suffix):  # static-i18n calls on_config once per language
                config["site_url"] = config["site_url"] + suffix
        # A pull request's preview is no version: it shows no selector.
        if not self.published_as or self.pull_request_preview:
            config["extra"].pop("version", None)
            return
        config["extra"].setdefault("version", {"provider": "mike", "default": LATEST, "alias": True})

    def _page_language(self, page, config) -> str:
        # The URL, not the source file: a page that falls back to the source language lives under /lt/.
        return language_of(page.url, self.languages, self.source_language)

    def on_files(self, files, config):
        """For a plain `mkdocs build` too: a file reached through a link that leaves docs/ is neither
        copied nor rendered (`guidelines build` has refused it before MkDocs starts)."""
        docs = self.docs_root.resolve()
        for file in list(files):
            if not file.abs_src_path or not Path(file.abs_src_path).absolute().is_relative_to(docs):
                continue  # the theme's own files
            if not Path(file.abs_src_path).resolve().is_relative_to(docs):
                files.remove(file)
                shown = Path(file.abs_src_path).absolute().relative_to(self.root).as_posix()
                log.warning(Finding(shown, 0, "FILE_OUTSIDE", "is a link to a file outside docs/").format())
        return files

    def on_page_markdown(self, markdown, page, config, files):
        _escape_placed_front_matter(page)
        language = self._page_language(page, config)
        form = form_panel(self.downloads, language, self._page_name(page), page.url)
        markdown = self._translation_banner(page, language) + form + markdown
        return expand_markers(
            markdown,
            {
                GLOSSARY_MARKER: lambda: glossary_table(self.glossary, language, self.languages),
                DOWNLOADS_MARKER: lambda: (
                    self._mark_download_page(page)
                    + downloads_panel(self.downloads, language, self.languages, page.url)
                    + "\n"
                    + self._earlier_editions(language, page.url)
                ),
                FORMS_MARKER: lambda: forms_panel(self.downloads, language, self.languages, page.url),
                STATUS_MARKER: lambda: self._status_table(language),
                CHANGES_MARKER: lambda: changes_page(
                    self.project, language, self.edition, self._page_name(page)
                ),
            },
        )

    def _mark_download_page(self, page) -> str:
        self.download_pages.add(page.file.src_uri)
        return ""

    @event_priority(-200)  # after static-i18n has made the language's files and navigation
    def on_nav(self, nav, config, files):
        """In a preview build of some pages only, MkDocs' dirty build skips every other page: the
        preview's plan says which files count as modified, and the skipped pages still give the
        navigation their titles (read from their front matter, as a full build does)."""
        if self.preview is None or self.preview.plan.everything:
            return nav
        language = self._language_of_build(config)
        # The addresses the search entries use (a page's, which is '' for the home page, not './').
        self.page_urls = ["" if file.url in (".", "./") else file.url for file in files.documentation_pages()]
        for file in files.documentation_pages():
            rebuild = self.preview.plan.rebuilds(language, self._file_name(file))
            file.is_modified = lambda rebuild=rebuild: rebuild
            if not rebuild and file.page is not None:
                file.page.read_source(config)
                _escape_placed_front_matter(file.page)
        return nav

    @staticmethod
    def _language_of_build(config) -> str:
        i18n = config["plugins"].get("i18n")
        return i18n.current_language if i18n is not None else config["theme"]["language"]

    @staticmethod
    def _file_name(file) -> str:
        return file.src_uri.split("/", 1)[1] if "/" in file.src_uri else file.src_uri

    @staticmethod
    def _page_name(page) -> str:
        """The page's file name inside its language folder ("lv/05-x.md" -> "05-x.md")."""
        return page.file.src_uri.split("/", 1)[1] if "/" in page.file.src_uri else page.file.src_uri

    def _source_path(self, page) -> Path:
        return self.docs_root / self.source_language / self._page_name(page)

    def _translation_banner(self, page, language: str) -> str:
        """A box at the top of a translated page whose source moved on, or of an untranslated page."""
        if language == self.source_language:
            return ""
        original = self._source_path(page)
        if Path(page.file.abs_src_path).resolve() == original.resolve():
            return translation_box(language, "untranslated", {}, self._how_to_translate(page, language))
        recorded, _ = recorded_source(page.meta)
        if recorded is None or not original.is_file():
            return ""
        key = str(original)
        if key not in self._source_hashes:
            self._source_hashes[key] = file_source_hash(original.read_text(encoding="utf-8"))
        if recorded == self._source_hashes[key]:
            return ""
        english_url = source_path(page.url, language, self.source_language)
        date = last_change_date(self.root, original) or "?"
        return translation_box(
            language, "outdated", {"date": date, "link": get_relative_url(english_url, page.url)}
        )

    def _how_to_translate(self, page, language: str) -> str:
        """On an untranslated page: how to add its translation in the browser (the page's edit link
        opens the English file, which is what it shows)."""
        if self.repository is None:
            return ""
        name = self._page_name(page)
        return label(language, "untranslated.how").format(
            path=f"docs/{language}/{name}",
            new=self.repository.new_file(language, name),
            source=self.repository.raw(f"{self.source_language}/{name}"),
        )

    def _status_table(self, language: str) -> str:
        from guidelines.content import load_content

        content, _ = load_content(self.project)
        statuses = translation_status(content, with_diff=False)
        others = [code for code in self.languages if code != self.source_language]
        rows = []
        for entry in self.project.nav:
            page = content.page(self.source_language, entry.file)
            if page is None:
                continue
            states = [
                next(
                    (s.state for s in statuses if s.language == code and s.name == entry.file), State.MISSING
                )
                for code in others
            ]
            rows.append((page.title, [state.name.lower() for state in states]))
        return status_table(language, others, rows)

    def on_page_content(self, content, page, config, files):
        """The page's final HTML, with everything the toolkit added, against the allowlist of safe
        HTML. A problem is a warning in `path:line: CODE message` form, which fails the strict build
        and which the toolkit's site runner reports as that finding."""
        source = Path(page.file.abs_src_path)
        places = [source, *([self.glossary_path] if self.glossary_path else [])]
        for problem in html_problems(content):
            path, line = source, 0
            for place in places:
                if line := line_of(problem, place.read_text(encoding="utf-8").split("\n")):
                    path = place
                    break
            shown = relative(path, self.root)
            log.warning(Finding(shown, line, problem.code, problem.what, hint=problem.hint).format())
        return content

    def on_env(self, env, config, files):
        env.bytecode_cache = COMPILED_TEMPLATES
        return env

    @event_priority(-50)  # after the search plugin has indexed the page: the preview's additions are not text
    def on_page_context(self, context, page, config, nav):
        language = self._page_language(page, config)
        context["guidelines_outdated"] = self._outdated_banner(language, page.url)
        context["guidelines_preview"] = (
            preview_banner(language, self.published_as.rsplit("/", 1)[1]) if self.pull_request_preview else ""
        )
        context["guidelines_view_url"] = (
            self.repository.view(page.file.edit_uri) if self.repository and page.edit_url else ""
        )
        if self.preview is not None:
            shown = relative(Path(page.file.abs_src_path), self.root)
            built = bool(self.downloads)
            note = downloads_note(language, built) if page.file.src_uri in self.download_pages else ""
            banner = findings_banner(self.preview.findings.of([shown]), language)
            page.content = banner + note + page.content
        return context

    def _earlier_editions(self, language: str, page_url: str) -> str:
        """On a published version, the released editions before it (newest first), each linking to
        its home page in the reader's language, where its own downloads are."""
        if not self.published_as or self.pull_request_preview:
            return ""
        earlier = releases_before(released_versions(self.root), self.edition)
        return earlier_editions(
            language,
            [
                (
                    self._in_published_site(str(version), language, page_url),
                    str(version),
                    git.tag_date(self.root, version.tag),
                )
                for version in reversed(earlier)
            ],
        )

    def _in_published_site(self, version: str, language: str, page_url: str) -> str:
        """The address of another version's home page in the language, relative to this page: up to
        the published site's root (above this version's folder), then down into `version/`."""
        up = "../" * (page_url.count("/") + 1)
        return f"{up}{version}/{language_prefix(language, self.source_language)}"

    def _outdated_banner(self, language: str, page_url: str) -> str:
        if not self.published_as or self.pull_request_preview:
            return ""
        key = "version.dev" if self.published_as == DEV else "version.outdated"
        latest = self._in_published_site(LATEST, language, page_url)
        return outdated_banner(language, self.published_as, key, latest)

    def on_post_template(self, output, template_name, config):
        # Every language build writes the theme's 404.html at the root; keep each language's own.
        if template_name == "404.html":
            language = config["theme"]["language"]
            base = urlsplit(config["site_url"] or "/").path
            output = output.replace(
                "<h1>404 - Not found</h1>", not_found_body(language, self.source_language, base), 1
            )
            output = with_policy(output)
            self.not_found_pages[language] = output
        return output

    def on_post_page(self, output, page, config):
        language = self._page_language(page, config)
        self.built_urls.add(page.url)
        self.page_paths.add(source_path(page.url, language, self.source_language))
        output = remove_alternate_links(output)
        output = point_search_at_language(output, page.url, language, self.source_language)
        return with_policy(output, untrusted=page.content)

    @event_priority(-200)  # after static-i18n (-100) has built every language and merged the index
    def on_post_build(self, config):
        target = Path(config["site_dir"]) / STYLESHEET
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(STYLESHEET_SOURCE.read_bytes())
        i18n = config["plugins"].get("i18n")
        if self.preview is not None and not self.preview.plan.everything:
            self._keep_the_rest_of_the_site(config)
            if not self.preview.finishing:
                return
        elif i18n is not None and i18n.building:
            return
        elif self.preview is not None:
            self._remember_the_site(config)
        for language, data in self.not_found_pages.items():
            (self.site_root / language_prefix(language, self.source_language) / "404.html").write_text(
                data, encoding="utf-8"
            )
        if (self.site_root / "search").is_dir():
            split_index(self.site_root, self.languages, self.source_language)
            install_stemmers(self.site_root)
        lastmod = edition_date(self.root).isoformat()
        text = sitemap(
            sorted(self.page_paths), self.languages, self.source_language, config["site_url"] or "/", lastmod
        )
        (self.site_root / "sitemap.xml").write_text(text, encoding="utf-8")
        (self.site_root / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        for language in self.languages:  # static-i18n leaves per-language copies of its sitemap
            if language != self.source_language:
                for name in ("sitemap.xml", "sitemap.xml.gz"):
                    (self.site_root / language / name).unlink(missing_ok=True)

    def _remember_the_site(self, config) -> None:
        """After the preview's whole build: what a later build of some pages only must keep."""
        state = self.preview
        state.not_found_pages = dict(self.not_found_pages)
        state.page_paths = set(self.page_paths)
        shared = json.loads((self.site_root / INDEX).read_text(encoding="utf-8"))
        state.search_config = shared["config"]
        state.search_entries = list(config["plugins"]["i18n"].search_entries)

    def _keep_the_rest_of_the_site(self, config) -> None:
        """After the preview built some pages of one language: the other languages' 404 pages, the
        sitemap's pages and the search entries of the pages not built stay as the last build made
        them; the search index is merged and deduplicated as static-i18n does it after all languages."""
        state = self.preview
        language = self._language_of_build(config)
        self.not_found_pages = state.not_found_pages = {**state.not_found_pages, **self.not_found_pages}
        self.page_paths = state.page_paths = state.page_paths | self.page_paths
        search = next(plugin for name, plugin in config["plugins"].items() if name.endswith("search"))
        state.search_entries = merge_search_entries(
            state.search_entries,
            list(search.search_index.entries),
            language,
            self.page_urls,
            self.built_urls,
            lambda location: language_of(location, self.languages, self.source_language),
        )
        if not state.finishing:
            return
        docs = list(state.search_entries)
        config["plugins"]["i18n"].reconfigure_search_duplicates(docs)
        shared = {"config": state.search_config, "docs": docs}
        (self.site_root / INDEX).write_text(json.dumps(shared, separators=(",", ":")), encoding="utf-8")


def _escape_placed_front_matter(page) -> None:
    for key in PLACED_FRONT_MATTER:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = html.escape(page.meta[key])


def _project(config):
    """The project of the settings MkDocs passes; a plain `mkdocs build` of settings the toolkit
    refuses stops with the toolkit's findings, as `guidelines build` does before MkDocs starts."""
    try:
        return project_from_config(config)
    except FindingsError as error:
        raise PluginError("\n".join(finding.format() for finding in error.findings)) from None
