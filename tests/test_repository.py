"""The repository's conventions: the workflows, hooks and Makefile call commands that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from guidelines.cli import main

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {match.group(1) for match in re.finditer(r"^([A-Za-z][\w-]*):", text, re.MULTILINE)}


def assert_guidelines_command_exists(arguments: list[str]) -> None:
    """Parse the arguments as the CLI would: an unknown command or option raises."""
    command, rest, name = main, list(arguments), "guidelines"
    while isinstance(command, click.Group):
        name = rest.pop(0)
        command = command.get_command(click.Context(command), name)
        assert command is not None, f"no command {name!r}"
    command.make_context(name, rest)


def run_lines(workflow: dict) -> list[str]:
    """Each command line of the workflow's `run` steps (a `>-` step is one line)."""
    return [
        line
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
        for line in step["run"].splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_is_valid_and_calls_only_existing_commands(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["name"] and workflow[True]  # "on:" reads as True in YAML 1.1
    for job in workflow["jobs"].values():
        assert job["runs-on"].startswith("ubuntu-")
        for step in job.get("steps", []):
            assert ("uses" in step) != ("run" in step)
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
    targets = make_targets()
    for line in run_lines(workflow):
        words = shlex.split(line)
        if words[0].endswith("bin/guidelines"):
            assert_guidelines_command_exists(words[1:])
        if words[0] == "make":
            assert set(w for w in words[1:] if "=" not in w) <= targets, line
            for option in (w.split("=", 1)[1] for w in words[1:] if w.startswith("CHECK_OPTIONS=")):
                assert_guidelines_command_exists(["check", *shlex.split(option)])


def test_the_three_workflows_cover_pull_requests_main_and_release_tags():
    triggers = {path.name: yaml.safe_load(path.read_text())[True] for path in WORKFLOWS}
    assert "pull_request" in triggers["pull-request.yml"]
    assert triggers["publish.yml"]["push"]["branches"] == ["main"]
    assert triggers["release.yml"]["push"]["tags"] == ["v*"]
    pull_request = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    lines = " ".join(run_lines(pull_request))
    assert "make test" in lines and "--format github" in lines
    steps = pull_request["jobs"]["check-test-preview"]["steps"]
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


def test_pre_commit_hooks_call_existing_commands():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    for hook in (hook for repo in config["repos"] for hook in repo["hooks"]):
        words = shlex.split(hook["entry"])
        assert (ROOT / words[0]).parent == ROOT / ".venv/bin"
        if words[0].endswith("guidelines"):
            assert_guidelines_command_exists(words[1:])


def test_readme_names_the_two_commands_and_ci_runs_make_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make build" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert {"build", "test", "check", "serve", "bench"} <= make_targets()


def test_issue_forms_and_pull_request_template_exist():
    for name in ("error-in-text.yml", "translation-problem.yml"):
        form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
        assert form["name"] and form["body"]
    assert "- [ ]" in (ROOT / ".github/PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")


def test_every_message_code_is_explained_in_the_contributing_guide():
    source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "tools/guidelines").rglob("*.py"))
    codes = set(
        re.findall(
            r'Finding\(\s*[^,()]+(?:\([^()]*\))?,\s*[^,()]+(?:\([^()]*\))?,\s*"([A-Z][A-Z_]+)"', source
        )
    )
    codes.add("SPELL")
    documented = set(
        re.findall(r"^\| `([A-Z][A-Z_]+)` \|", (ROOT / "CONTRIBUTING.md").read_text(), re.MULTILINE)
    )
    assert len(codes) > 25
    assert codes <= documented, sorted(codes - documented)
