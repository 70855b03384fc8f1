"""The command line behaves like the tools people know."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import git, init_repository, run_command

from guidelines.cli import main

COMMANDS = [
    ["build"],
    ["check"],
    ["serve"],
    ["status"],
    ["new-chapter"],
    ["translations"],
    ["translations", "mark-current"],
    ["review"],
    ["preview"],
    ["preview", "publish"],
    ["preview", "remove"],
]


@pytest.mark.parametrize("command", [[], *COMMANDS])
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_unknown_command_is_a_usage_error():
    assert CliRunner().invoke(main, ["publish-everything"]).exit_code == 2


def test_check_passes_on_the_clean_fixture(fixture_project):
    # `python -m guidelines` in a process of its own: the entry point the others skip (run_command)
    result = subprocess.run(
        [sys.executable, "-m", "guidelines", "check", "-C", str(fixture_project)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stderr


def test_check_in_github_format_annotates_lines(fixture_project):
    page = fixture_project / "docs/en/02-premises.md"
    page.write_text(page.read_text().replace("images/plan.svg", "images/none.svg"))
    result = run_command("check", "-C", str(fixture_project), "--format", "github")
    assert result.returncode == 1
    assert "::error file=docs/en/02-premises.md,line=16,title=IMAGE_MISSING::" in result.stdout


def test_check_annotates_only_the_files_a_change_touched_but_fails_on_any_error(fixture_project):
    broken = fixture_project / "docs/lt/02-premises.md"  # already broken on main
    broken.write_text(broken.read_text().replace("images/plan.svg", "images/none.svg"))
    init_repository(fixture_project)
    page = fixture_project / "docs/lv/01-first-steps.md"  # the change: a Latvian picture without alt text
    page.write_text(page.read_text() + "\n![](images/plan.svg)\n")
    git(fixture_project, "commit", "--quiet", "--all", "--message", "A change")
    command = ["check", "-C", str(fixture_project), "--format", "github"]
    result = run_command(*command, "--changed-since", "HEAD~1")
    assert result.returncode == 1
    files = {line.split("file=")[1].split(",")[0] for line in result.stdout.splitlines()}
    assert files == {"docs/lv/01-first-steps.md"}
    assert "IMAGE_ALT" in result.stdout and "more in files not changed since HEAD~1" in result.stderr
    everything = run_command(*command)
    assert "file=docs/lt/02-premises.md" in everything.stdout


def test_outside_a_project_the_message_says_what_is_missing(tmp_path):
    result = run_command("build", "-C", str(tmp_path))
    assert result.returncode == 1
    assert "mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["build"], ["release", "1.0", "--notes", "First."]])
def test_a_moment_that_is_no_number_is_the_users_to_fix(fixture_project, command):
    init_repository(fixture_project)  # a release is made of a commit
    result = run_command(*command, "-C", str(fixture_project), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 3, result.stderr
    assert "SOURCE_DATE_EPOCH is 'yesterday', not a moment" in result.stderr
    assert "Traceback" not in result.stderr and "bug in the toolkit" not in result.stderr
    assert git(fixture_project, "tag", "--list") == "" and not (fixture_project / "CHANGELOG.md").exists()


def test_build_is_quiet_when_not_on_a_terminal(cached_project):
    result = subprocess.run(
        [sys.executable, "-m", "guidelines", "build", "-q", "-C", str(cached_project)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "\033[" not in result.stderr


def test_status_lists_every_translation_as_json(fixture_project):
    import json

    result = run_command("status", "-C", str(fixture_project), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {(row["language"], row["file"]) for row in rows} >= {
        ("lv", "01-first-steps.md"),
        ("lt", "02-premises.md"),
    }
    assert {row["state"] for row in rows} == {"untracked"}


def test_mark_current_refuses_the_source_file(fixture_project):
    source = fixture_project / "docs/en/02-premises.md"
    result = run_command("translations", "mark-current", "-C", str(fixture_project), str(source))
    assert result.returncode == 1
    assert "docs/en/02-premises.md: TRANSLATION is the source, not a translation" in result.stderr


def test_new_chapter_creates_the_page_in_every_language_and_lists_it_in_the_navigation(fixture_project):
    result = run_command("new-chapter", "-C", str(fixture_project), "Staff and volunteers")
    assert result.returncode == 0, result.stderr
    for language in ("en", "lv", "lt"):
        page = fixture_project / "docs" / language / "03-staff-and-volunteers.md"
        assert page.read_text(encoding="utf-8").startswith('---\ntitle: "Staff and volunteers"\n---\n')
    assert "  - 03-staff-and-volunteers.md\n  - Annexes:" in (fixture_project / "mkdocs.yml").read_text()
    assert "Next:" in result.stdout
    check = run_command("check", "-C", str(fixture_project))
    assert check.returncode == 0, check.stderr


def test_new_chapter_refuses_to_overwrite(fixture_project):
    (fixture_project / "docs/lv/03-premises.md").write_text("x")
    result = run_command("new-chapter", "-C", str(fixture_project), "Premises")
    assert result.returncode == 1
    assert "docs/lv/03-premises.md: NEW_CHAPTER the file exists already" in result.stderr
    assert not (fixture_project / "docs/en/03-premises.md").exists()
