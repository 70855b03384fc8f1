"""The settings are read once, by MkDocs's own loader, wherever they are read: `guidelines`, and the
toolkit's plugin inside `mkdocs build`. What MkDocs honours (`INHERIT`, `!ENV`, `-f other.yml`) the
toolkit honours, and a problem names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_command

from guidelines.findings import FindingsError
from guidelines.project import load_project
from guidelines.site import build_site


def move_plugins_to_a_base_file(root: Path) -> Path:
    """mkdocs.yml split in two: its `plugins` (the toolkit's settings among them) in base.yml, which
    mkdocs.yml inherits; returns base.yml."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("plugins:\n"), text.index("nav:\n")
    base = root / "base.yml"
    base.write_text(text[start:end], encoding="utf-8")
    config.write_text("INHERIT: base.yml\n" + text[:start] + text[end:], encoding="utf-8")
    return base


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_a_setting_in_an_inherited_file_takes_effect(fixture_project):
    base = move_plugins_to_a_base_file(fixture_project)
    base.write_text(base.read_text(encoding="utf-8").replace('version: "0.9"', 'version: "2.5"'))
    project = load_project(fixture_project)
    assert project.version == "2.5"
    assert [language.code for language in project.languages] == ["en", "lv", "lt"]
    assert project.config_files == (fixture_project / "mkdocs.yml", base)


def test_an_error_in_an_inherited_file_names_that_file_and_its_line(fixture_project):
    base = move_plugins_to_a_base_file(fixture_project)
    base.write_text(base.read_text(encoding="utf-8").replace('version: "0.9"', 'version: ""'))
    with pytest.raises(FindingsError) as error:
        load_project(fixture_project)
    (message,) = [finding.format() for finding in error.value.findings]
    line = line_of(base, 'version: ""')
    assert message.startswith(f"base.yml:{line}: CONFIG 'plugins.guidelines.version': is required")


def test_an_environment_variable_is_read_as_mkdocs_reads_it(fixture_project, monkeypatch):
    config = fixture_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('version: "0.9"', 'version: !ENV [EDITION, "0.9"]'), encoding="utf-8")
    assert load_project(fixture_project).version == "0.9"  # the default
    monkeypatch.setenv("EDITION", "2.0-rc")
    assert load_project(fixture_project).version == "2.0-rc"
    # MkDocs gives a variable's value its YAML type: 1.10 is the number 1.1, which `mkdocs build`
    # refuses as a version, and so does the toolkit, at the line of the tag.
    monkeypatch.setenv("EDITION", "1.10")
    with pytest.raises(FindingsError) as error:
        load_project(fixture_project)
    (message,) = [finding.format() for finding in error.value.findings]
    assert message.startswith(f"mkdocs.yml:{line_of(config, '!ENV')}: CONFIG 'plugins.guidelines.version'")


def other_settings_without_an_annex(root: Path) -> None:
    """other.yml: mkdocs.yml with one annex fewer in the navigation; mkdocs.yml stays as it was."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    entry = "      - annex-b-visit-checklist.md\n"
    assert entry in text
    (root / "other.yml").write_text(text.replace(entry, ""), encoding="utf-8")


def test_the_command_line_reads_the_settings_file_it_is_given(fixture_project):
    other_settings_without_an_annex(fixture_project)
    result = run_command(
        "status", "-C", str(fixture_project), "--config-file", "other.yml", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert "annex-a-glossary.md" in said and "annex-b-visit-checklist.md" not in said
    (fixture_project / "mkdocs.yml").unlink()
    result = run_command("status", "-C", str(fixture_project), "-f", "other.yml")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # builds the site
def test_the_plugin_reads_the_settings_file_mkdocs_was_given(fixture_project, tmp_path):
    # The translation status page lists the chapters of the navigation: other.yml's, not mkdocs.yml's.
    other_settings_without_an_annex(fixture_project)
    build_site(load_project(fixture_project, "other.yml"), tmp_path / "site", None)
    status = (tmp_path / "site/translation-status/index.html").read_text(encoding="utf-8")
    assert "Annex A" in status and "Annex B" not in status


def test_files_that_inherit_from_each_other_are_a_settings_error_at_the_closing_line(fixture_project):
    # MkDocs's loader would follow the circle until Python's recursion limit.
    base = move_plugins_to_a_base_file(fixture_project)
    base.write_text("INHERIT: mkdocs.yml\n" + base.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FindingsError) as error:
        load_project(fixture_project)
    (message,) = [finding.format() for finding in error.value.findings]
    assert message.startswith("base.yml:1: CONFIG 'INHERIT': inheriting mkdocs.yml closes a circle")


@pytest.mark.parametrize(
    ("old", "new", "marked", "said"),
    [
        (
            "strict: true\n",
            "INHERIT: nowhere.yml\nstrict: true\n",
            "INHERIT",
            "there is no file 'nowhere.yml'",
        ),
        ("  - search\n", "  - serach\n", "serach", 'The "serach" plugin is not installed'),
        (
            "  - pymdownx.magiclink\n",
            "  - pymdownx.snippets:\n      base_path: !relative $nowhere\n",
            "!relative",
            "Unknown prefix '$nowhere'",
        ),
        ("docs_dir: docs\n", "docs_dir: docs\ncolour: blue\n", "colour", "Unrecognised configuration name"),
    ],
)
def test_settings_mkdocs_would_refuse_stop_every_command_at_their_line(
    fixture_project, old, new, marked, said
):
    # Refused when the settings are read, with exit 1 (the content has errors), not later by MkDocs
    # in the middle of a build, and never as the toolkit's own failure (exit 4).
    config = fixture_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_command("status", "-C", str(fixture_project))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"mkdocs.yml:{line_of(config, marked)}: CONFIG "), result.stderr
    assert said in result.stderr
