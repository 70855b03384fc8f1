"""The `guidelines` command: parses arguments, shows progress, maps outcomes to exit codes.

Exit codes: 0 done; 1 the content has errors (each printed as `path:line: CODE message`);
2 wrong usage; 3 an external tool (pandoc, Typst, MkDocs, git) failed, or the computer refused (a full
disk, a read-only folder, no permission); 4 a bug in the toolkit; 5 a release refused (uncommitted
changes, an edition that exists, a number not newer); 6 another build, release or publication is
running in the project folder; 130 interrupted (Ctrl+C), 143 stopped (SIGTERM), 129 hung up (SIGHUP).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from pathlib import Path

import click

from guidelines.findings import Finding, FindingsError, ProjectBusy, ReleaseRefused, Severity, ToolError
from guidelines.progress import Progress
from guidelines.project import CONFIG_FILE, load_project

EXIT_FINDINGS = 1
EXIT_TOOL = 3
EXIT_INTERNAL = 4
EXIT_REFUSED = 5
EXIT_BUSY = 6
# What the computer refused, and what the person at it can do.
ENVIRONMENT = {
    errno.ENOSPC: "the disk is full; free some space, then run the command again",
    errno.EDQUOT: "the disk quota is used up; free some space, then run the command again",
    errno.EROFS: "the folder is on a read-only disk; run the command in a copy you can write to",
    errno.EACCES: "you have no permission there; run the command in a folder of yours",
    errno.EPERM: "you have no permission there; run the command in a folder of yours",
}


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a cancelled CI job, `timeout`, a closed terminal): stopped like Ctrl+C,
    with everything a failed command takes back taken back."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


def _stop(number: int, frame) -> None:
    # Once: the clean-up that follows (killing the editions, taking back a release) must not be
    # cut short by the same signal again.
    for ignored in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(ignored, signal.SIG_IGN)
    raise Stopped(number) if number != signal.SIGINT else KeyboardInterrupt


def _environment_failure(error: OSError) -> str | None:
    """A plain explanation of what the computer refused, or None for an error that is the toolkit's."""
    advice = ENVIRONMENT.get(error.errno)
    if advice is None:
        return None
    where = f" ({error.filename})" if error.filename else ""
    return f"could not write{where}: {advice}"


def _print_findings(findings: list[Finding], output_format: str = "text") -> None:
    for finding in findings:
        if output_format == "github":
            click.echo(finding.format_github())
            continue
        colour = "red" if finding.severity is Severity.ERROR else "yellow"
        text = finding.format()
        if finding.severity is Severity.WARNING:
            text = text.replace(f" {finding.code} ", f" {finding.code} warning: ", 1)
        click.echo(click.style(text, fg=colour), err=True)


def _summary(findings: list[Finding]) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    return f"{errors} error(s), {warnings} warning(s)"


def _run(action):
    """Run a command body; turn the toolkit's exceptions into messages and exit codes."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop)
    try:
        return action()
    except click.ClickException:
        raise  # a usage mistake: click prints the usage line and exits 2
    except FindingsError as error:
        _print_findings(error.findings)
        click.echo(
            click.style(f"Stopped: {_summary(error.findings)}. Nothing was changed.", fg="red"), err=True
        )
        sys.exit(EXIT_FINDINGS)
    except ToolError as error:
        click.echo(click.style(f"error: {error}", fg="red"), err=True)
        click.echo("Nothing was changed.", err=True)
        sys.exit(EXIT_TOOL)
    except ReleaseRefused as error:
        click.echo(click.style(f"refused: {error}", fg="red"), err=True)
        click.echo("Nothing was changed.", err=True)
        sys.exit(EXIT_REFUSED)
    except ProjectBusy as error:
        click.echo(click.style(f"busy: {error}", fg="red"), err=True)
        sys.exit(EXIT_BUSY)
    except KeyboardInterrupt as error:
        stopped = "Stopped" if isinstance(error, Stopped) else "Interrupted"
        click.echo(f"{stopped}. Nothing was changed.", err=True)
        sys.exit(128 + (error.number if isinstance(error, Stopped) else signal.SIGINT))
    except OSError as error:
        if (explained := _environment_failure(error)) is None:
            return _internal(error)
        click.echo(click.style(f"error: {explained}", fg="red"), err=True)
        click.echo("Nothing was changed.", err=True)
        sys.exit(EXIT_TOOL)
    except Exception as error:
        return _internal(error)


def _internal(error: Exception):
    """A bug of ours: say so plainly, keep the traceback for who asks."""
    if os.environ.get("GUIDELINES_DEBUG"):
        raise error
    click.echo(click.style(f"internal error: {type(error).__name__}: {error}", fg="red"), err=True)
    click.echo("This is a bug in the toolkit. Run again with GUIDELINES_DEBUG=1 for details.", err=True)
    sys.exit(EXIT_INTERNAL)


_project_folder = click.option(
    "--project",
    "-C",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder (the one with mkdocs.yml).",
)
_config_file = click.option(
    "--config-file",
    "-f",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG_FILE,
    show_default=True,
    help="The settings file, relative to the project folder (as `mkdocs build -f`).",
)


def project_option(command):
    """The project a command reads: its folder and its settings file."""
    return _project_folder(_config_file(command))


quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print only problems.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="guidelines")
def main() -> None:
    """Build and check the multilingual guidelines: the website and the PDF and DOCX editions."""


@main.command()
@project_option
@quiet_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Editions built at once (default: one per CPU core).",
)
@click.option("--no-cache", is_flag=True, help="Rebuild every edition even if its text has not changed.")
@click.option(
    "--preview",
    "preview_of",
    type=click.IntRange(1),
    metavar="PR",
    help="Build site/ as the preview of pull request PR (its address pr/PR/, a banner on every page).",
)
def build(
    project_dir: Path,
    config_file: Path,
    quiet: bool,
    jobs: int | None,
    no_cache: bool,
    preview_of: int | None,
) -> None:
    """Build the site and every edition into site/ (site/downloads/ holds PDF and DOCX).

    The previous site/ stays as it was unless the whole build succeeds.
    """
    from guidelines.build import build as run_build
    from guidelines.versions import preview_folder, version_at_head

    def action():
        started = time.perf_counter()
        progress = Progress.for_terminal(quiet)
        project = load_project(project_dir, config_file)
        # At a release's tag with nothing changed, the outputs are that edition's (`git checkout v1.0`).
        released = version_at_head(project.root)
        version = str(released) if released else None
        result = run_build(
            project,
            jobs=jobs,
            use_cache=not no_cache,
            progress=progress,
            version=None if preview_of else version,
            published_as=preview_folder(preview_of) if preview_of else None,
        )
        _print_findings(result.warnings)
        if not quiet:
            total = time.perf_counter() - started  # not the steps' sum: a step can hold another
            forms = sum(1 for file in result.editions if file.form)
            click.echo(
                f"Built {project.display(result.site_dir)}/, {len(result.editions) - forms} editions "
                f"and {forms} form files in {total:.1f} s ({_summary(result.warnings)}).",
                err=True,
            )

    _run(action)


@main.command()
@project_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: annotations for a GitHub Actions pull request.",
)
@click.option("--spelling", is_flag=True, help="Also check spelling (hunspell and docs/wordlists/).")
@click.option(
    "--changed-since",
    metavar="REF",
    help="Print only the problems in files changed since REF (e.g. origin/main): a pull request's "
    "annotations land on its own files. Errors in other files still fail the check.",
)
def check(
    project_dir: Path, config_file: Path, output_format: str, spelling: bool, changed_since: str | None
) -> None:
    """Check every page in every language; print problems as path:line: CODE message."""
    from guidelines.checks import run_checks
    from guidelines.checks import spelling as spelling_check
    from guidelines.content import load_content

    def action():
        project = load_project(project_dir, config_file)
        content, findings = load_content(project)
        findings += run_checks(content, advisory=True)
        if spelling:
            findings += spelling_check.check(content)
        findings = sorted(findings)
        shown = findings
        if changed_since:
            from guidelines.review import changed_files, merge_base

            since = merge_base(project.root, changed_since)
            changed = set(changed_files(project.root, since, project.display(project.docs_dir)))
            shown = [finding for finding in findings if finding.path in changed]
        _print_findings(shown, output_format)
        errors = any(f.severity is Severity.ERROR for f in findings)
        others = len(findings) - len(shown)
        elsewhere = f"; {others} more in files not changed since {changed_since}" if changed_since else ""
        click.echo(_summary(shown) + elsewhere, err=True)
        if errors:
            sys.exit(EXIT_FINDINGS)

    _run(action)


@main.command()
@project_option
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option(
    "--published",
    is_flag=True,
    help="Serve the published site instead (every edition and dev, from the gh-pages branch).",
)
def serve(project_dir: Path, config_file: Path, dev_addr: str, published: bool) -> None:
    """Preview the work in progress while you edit: the page reloads when a file changes."""
    from guidelines.site import serve_site

    def action():
        project = load_project(project_dir, config_file)
        if published:
            from guidelines.static_server import serve_published

            sys.exit(serve_published(project, dev_addr))
        sys.exit(serve_site(project, dev_addr, _report_rebuild))

    _run(action)


def _report_rebuild(rebuild) -> None:
    """What the preview did, for the writer watching the terminal: after a save, the findings of the
    saved files as soon as they are checked, then what was rebuilt and how long it took."""
    if not rebuild.changed:
        _print_findings(rebuild.findings)
        done = (
            f"Built the preview in {rebuild.seconds:.1f} s ({_summary(rebuild.findings)}); "
            f"open {rebuild.address} in your browser."
        )
    elif not rebuild.built:
        _print_findings(rebuild.findings)
        done = (
            f"{', '.join(rebuild.changed)}: {_summary(rebuild.findings)} (checked in {rebuild.seconds:.2f} s)"
        )
    else:
        what = "the whole site" if rebuild.everything else f"{rebuild.pages} page(s)"
        done = (
            f"{', '.join(rebuild.changed)}: rebuilt {what} in {rebuild.seconds:.2f} s; the browser reloads."
        )
    click.echo(done, err=True)


@main.command(short_help="Record, build, tag and publish an edition such as 1.1.")
@project_option
@quiet_option
@click.argument("version")
@click.option("--notes", "-m", help="The changelog entry: what this edition changes, for readers.")
@click.option(
    "--notes-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Read the changelog entry from a file.",
)
@click.option(
    "--finish",
    is_flag=True,
    help="Publish an edition that was tagged but never published (its release was stopped).",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Editions built at once.")
def release(
    project_dir: Path,
    config_file: Path,
    quiet: bool,
    version: str,
    notes: str | None,
    notes_file: Path | None,
    finish: bool,
    jobs: int | None,
) -> None:
    """Release edition VERSION (e.g. 1.1) of the committed text.

    Checks, adds the changelog entry to CHANGELOG.md, builds the site and every download as that
    edition, commits and tags it (v1.1), and publishes it on the gh-pages branch as 1.1 and latest.
    Without --notes or --notes-file, an editor opens for the changelog entry.

    Refused (exit 5, nothing changed) with uncommitted changes, for an edition that exists, or for
    a number that is not newer than the last edition.
    """
    from guidelines.release import check_can_release, finish_release
    from guidelines.release import release as run_release

    def action():
        project = load_project(project_dir, config_file)
        if finish:
            finished = finish_release(project, version, jobs=jobs, progress=Progress.for_terminal(quiet))
            if not quiet:
                click.echo(f"Published edition {finished} from its tag {finished.tag}.", err=True)
                click.echo("Publish it: git push origin gh-pages --tags", err=True)
            return
        check_can_release(project, version)  # before asking for notes the release could not use
        text = _read_notes(notes_file) if notes_file else notes
        if text is None:
            if not sys.stdin.isatty():
                raise click.UsageError("give the changelog entry with --notes or --notes-file")
            text = _strip_comments(click.edit(NOTES_TEMPLATE.format(version=version)) or "")
        progress = Progress.for_terminal(quiet)
        result = run_release(project, version, text, jobs=jobs, progress=progress)
        if not quiet:
            click.echo(
                f"Released edition {result.version} ({result.date}): tag {result.version.tag}, "
                f"CHANGELOG.md, gh-pages {result.version}/ and latest.",
                err=True,
            )
            click.echo("Publish it: git push origin main gh-pages --tags", err=True)

    _run(action)


def _read_notes(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        finding = Finding(
            str(path), line, "ENCODING", "the file is not valid UTF-8", hint="save the file as UTF-8"
        )
        raise FindingsError([finding]) from None


NOTES_TEMPLATE = """
# What does edition {version} change, for readers? Write it above; lines starting with # are dropped.
"""


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()


@main.command("publish-dev")
@project_option
@quiet_option
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Editions built at once.")
def publish_dev_command(project_dir: Path, config_file: Path, quiet: bool, jobs: int | None) -> None:
    """Publish the work in progress as "dev" on the gh-pages branch, beside the released editions."""
    from guidelines.release import publish_dev

    def action():
        project = load_project(project_dir, config_file)
        publish_dev(project, jobs=jobs, progress=Progress.for_terminal(quiet))
        if not quiet:
            click.echo("Published the work in progress as dev/ on gh-pages.", err=True)

    _run(action)


@main.group()
def preview() -> None:
    """A pull request's preview: the built site on the gh-pages branch under pr/<number>/."""


pr_option = click.option(
    "--pr", "number", type=click.IntRange(1), required=True, help="The pull request's number."
)


@preview.command("publish")
@project_option
@quiet_option
@pr_option
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A preview already built (guidelines build --preview PR), e.g. a CI artifact; default: build it.",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Editions built at once.")
def preview_publish(
    project_dir: Path, config_file: Path, quiet: bool, number: int, site_dir: Path | None, jobs: int | None
) -> None:
    """Commit the preview of pull request PR to gh-pages as pr/PR/, replacing the one there.

    Released editions, dev and the version selector's list are left as they are. Push gh-pages to publish it.
    """
    import tempfile

    from guidelines.build import build as run_build
    from guidelines.deploy import publish_preview
    from guidelines.versions import preview_folder

    def action():
        project = load_project(project_dir, config_file)
        with tempfile.TemporaryDirectory(prefix="guidelines-preview-") as scratch:
            built = site_dir
            if built is None:
                built = Path(scratch) / "site"
                progress = Progress.for_terminal(quiet)
                run_build(
                    project, jobs=jobs, progress=progress, published_as=preview_folder(number), site_dir=built
                )
            folder = publish_preview(project, built, number)
        if not quiet:
            click.echo(
                f"Committed the preview as {folder}/ on gh-pages. Publish it: git push origin gh-pages",
                err=True,
            )

    _run(action)


@preview.command("remove")
@project_option
@quiet_option
@pr_option
def preview_remove(project_dir: Path, config_file: Path, quiet: bool, number: int) -> None:
    """Delete the preview of pull request PR (pr/PR/) from gh-pages, e.g. when it is closed or merged."""
    from guidelines.deploy import remove_preview
    from guidelines.versions import preview_folder

    def action():
        project = load_project(project_dir, config_file)
        removed = remove_preview(project, number)
        if not quiet:
            folder = preview_folder(number)
            click.echo(
                f"Removed {folder}/ from gh-pages. Publish it: git push origin gh-pages"
                if removed
                else f"No preview {folder}/ on gh-pages: nothing to remove.",
                err=True,
            )

    _run(action)


@main.command()
@project_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: for scripts and dashboards.",
)
@click.option(
    "--diff/--no-diff",
    default=True,
    show_default=True,
    help="Show what changed in the source of outdated translations.",
)
def status(project_dir: Path, config_file: Path, output_format: str, diff: bool) -> None:
    """Show, for every chapter and language, whether the translation is up to date with the source."""
    import json

    from guidelines.content import load_content
    from guidelines.translations import State, translation_status

    def action():
        project = load_project(project_dir, config_file)
        content, _ = load_content(project)
        statuses = translation_status(content, with_diff=diff)
        if output_format == "json":
            click.echo(json.dumps([s.as_dict() for s in statuses], indent=2, ensure_ascii=False))
            return
        colours = {
            State.CURRENT: "green",
            State.OUTDATED: "yellow",
            State.UNTRACKED: "yellow",
            State.MISSING: "red",
        }
        width = max((len(s.name) for s in statuses), default=10)
        for item in statuses:
            note = (
                f" (source changed {item.source_changed})"
                if item.state is State.OUTDATED and item.source_changed
                else ""
            )
            state = click.style(item.state.value, fg=colours[item.state])
            click.echo(f"{item.language}  {item.name:<{width}}  {state}{note}")
            for line in item.diff.splitlines():
                click.echo("      " + line)
        counts = {state: sum(s.state is state for s in statuses) for state in State}
        click.echo(", ".join(f"{n} {state.value}" for state, n in counts.items()), err=True)

    _run(action)


@main.command()
@project_option
@click.option("--base", required=True, help="What the change is compared with, e.g. origin/main.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "addresses"]),
    default="text",
    show_default=True,
    help="markdown: a pull request comment; addresses: the changed pages' site addresses, one a line.",
)
@click.option(
    "--preview",
    "preview_of",
    type=click.IntRange(1),
    metavar="PR",
    help="Link each changed page to its place in the preview of pull request PR (<site_url>pr/PR/).",
)
@click.option(
    "--pages/--no-pages",
    default=True,
    show_default=True,
    help="Count each PDF edition's pages before and after (typesets the PDFs not in the edition cache).",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="PDFs typeset at once.")
def review(
    project_dir: Path,
    config_file: Path,
    base: str,
    output_format: str,
    preview_of: int | None,
    pages: bool,
    jobs: int | None,
) -> None:
    """What the changes since BASE do to the guidelines, per language, for the people who review them.

    The changed pages with their changed words, the translations made outdated or brought up to date,
    the checks' findings on the changed pages, and each PDF's page count before and after.
    """
    from guidelines.review import as_addresses, as_markdown, as_text
    from guidelines.review import review as run_review
    from guidelines.versions import preview_folder

    def action():
        project = load_project(project_dir, config_file)
        if output_format == "addresses":
            addresses = as_addresses(
                run_review(project, base, count_pages=False, run_the_checks=False), project
            )
            click.echo(addresses, nl=False)
            return
        result = run_review(project, base, count_pages=pages, jobs=jobs or os.cpu_count() or 1)
        render = as_markdown if output_format == "markdown" else as_text
        preview_url = f"{project.site_url}{preview_folder(preview_of)}/" if preview_of else None
        click.echo(render(result, project, preview_url), nl=False)

    _run(action)


@main.group()
def translations() -> None:
    """Keep translations in step with the source text."""


@translations.command("mark-current")
@project_option
@click.argument("targets", nargs=-1, required=True)
def mark_current_command(project_dir: Path, config_file: Path, targets: tuple[str, ...]) -> None:
    """Record that translations match the current source text.

    TARGETS are translation files (docs/lv/03-concepts-and-models.md), language codes (lv) or "all".
    Run it after checking a translation against the source.
    """
    from guidelines.translations import mark_current, translation_paths

    def action():
        project = load_project(project_dir, config_file)
        paths = translation_paths(project, list(targets))
        source_dir = project.language_dir(project.source_language).resolve()
        for path in paths:
            if path.parent.resolve() == source_dir or not path.is_file():
                reason = "is the source, not a translation" if path.is_file() else "does not exist"
                raise FindingsError([Finding(project.display(path), 0, "TRANSLATION", f"{reason}")])
        changed = mark_current(project, paths)
        for path in changed:
            click.echo(f"marked current: {project.display(path)}")
        click.echo(f"{len(changed)} file(s) updated, {len(paths) - len(changed)} already current.", err=True)

    _run(action)


@main.command("new-chapter")
@project_option
@click.argument("title")
@click.option("--annex", is_flag=True, help="Add an annex (annex-<letter>-….md) instead of a chapter.")
def new_chapter_command(project_dir: Path, config_file: Path, title: str, annex: bool) -> None:
    """Create a chapter called TITLE in every language and add it to the navigation."""
    from guidelines.chapters import new_chapter

    def action():
        project = load_project(project_dir, config_file)
        name, written = new_chapter(project, title, annex=annex)
        for path in written:
            click.echo(f"created {project.display(path)}")
        source = project.source_language.code
        click.echo(f"added {name} to the navigation in {project.display(project.nav_file)}")
        click.echo("\nNext:")
        click.echo(f"  1. write the chapter in docs/{source}/{name} (keep the {{#id}} after each heading)")
        click.echo("  2. translate the title and text in the other languages' copies")
        click.echo("  3. preview with `make serve`, then run `guidelines check`")
        click.echo(
            "  4. after checking a translation: guidelines translations mark-current docs/<lang>/" + name
        )

    _run(action)
