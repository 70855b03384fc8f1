"""The repository's conventions: the workflows, hooks and Makefile call commands that exist."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
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


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))


def checkouts(job: dict) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkout_keeps_no_credentials_where_nothing_is_pushed(path):
    for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
        pushes = any(line.strip().startswith("git push") for line in run_lines({"jobs": {"job": job}}))
        for step in checkouts(job):
            assert step.get("with", {}).get("persist-credentials") is pushes, (path.name, step)


def test_only_the_publishing_workflow_on_main_pushes():
    pushing = [
        path.name
        for path in WORKFLOWS
        if any(line.strip().startswith("git push") for line in run_lines(yaml.safe_load(path.read_text())))
    ]
    assert pushing == ["publish.yml"]
    assert workflow("publish.yml")[True] == {"push": {"branches": ["main"]}}


def test_a_pull_requests_code_runs_with_a_read_only_token_and_no_secrets():
    pull_request = workflow("pull-request.yml")
    assert set(pull_request[True]) == {"pull_request"}  # not pull_request_target, which can write
    assert pull_request["permissions"] == {"contents": "read"}
    text = (ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "github.token" not in text
    for job in pull_request["jobs"].values():
        assert "permissions" not in job


def summary_after(tmp_path: Path, changed: dict[str, str]) -> str:
    """The pull-request summary the workflow's code-change step writes for a branch changing `changed`."""
    (step,) = [
        step
        for step in workflow("pull-request.yml")["jobs"]["check-test-preview"]["steps"]
        if step.get("name") == "Show changes to code in the summary"
    ]
    repository = tmp_path / "repository"
    repository.mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)

    git("init", "--quiet", "--initial-branch", "main")
    git("config", "user.name", "Test Editor")
    git("config", "user.email", "editor@example.org")
    for name in ("docs/en/01-first-steps.md", "tools/guidelines/build.py", "mkdocs.yml"):
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text("before\n")
    git("add", "--all")
    git("commit", "--quiet", "--message", "main")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    git("switch", "--quiet", "--create", "change")
    for name, text in changed.items():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text(text)
    git("add", "--all")
    git("commit", "--quiet", "--message", "the change")
    summary = tmp_path / "summary.md"
    environment = {**os.environ, "GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repository, env=environment, check=True)
    return summary.read_text(encoding="utf-8")


def test_a_pull_request_that_changes_code_lists_it_in_its_summary(tmp_path):
    summary = summary_after(
        tmp_path,
        {
            "docs/en/01-first-steps.md": "after\n",
            "mkdocs.yml": "after\n",
            ".github/workflows/pull-request.yml": "on: pull_request_target\n",
        },
    )
    assert summary.startswith("## This pull request changes code")
    assert "- `mkdocs.yml`" in summary and "- `.github/workflows/pull-request.yml`" in summary
    assert "docs/en" not in summary


def test_a_pull_request_that_changes_only_text_says_so(tmp_path):
    assert summary_after(tmp_path, {"docs/en/01-first-steps.md": "after\n"}) == (
        "This pull request changes only the text.\n"
    )


def test_importing_the_mkdocs_plugin_loads_no_edition_engine():
    # MkDocs imports the plugin for every `mkdocs build` and `serve`: pandoc, Typst, python-docx,
    # pikepdf and the hyphenation patterns are for the editions alone.
    code = "import sys, guidelines.mkdocs_plugin; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    engines = {"typst", "docx", "pypandoc", "pikepdf", "pyphen", "guidelines.editions.build"}
    assert loaded & engines == set()
    assert "guidelines.mkdocs_plugin" in loaded


def locked_versions(lock: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", lock.read_text(encoding="utf-8"), re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def test_the_locks_hold_every_pinned_package_at_its_version_with_hashes():
    # A version changed in pyproject.toml without `make lock` would install something else.
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for lock, requirements in (
        (ROOT / "requirements/build.txt", project["dependencies"]),
        (ROOT / "requirements/dev.txt", project["dependencies"] + project["optional-dependencies"]["test"]),
    ):
        versions = locked_versions(lock)
        for requirement in requirements:
            name, version = requirement.split("==")
            assert versions.get(name.lower().replace("_", "-")) == version, (lock.name, requirement)
        # Every package comes with the hashes of its files: pip refuses a file that is not one of them.
        text = lock.read_text(encoding="utf-8")
        blocks = [block for block in re.split(r"\n(?=[A-Za-z])", text) if "==" in block]
        assert len(blocks) == len(versions)
        assert all("--hash=sha256:" in block for block in blocks)


def test_the_build_environment_holds_no_test_tool():
    build = locked_versions(ROOT / "requirements/build.txt")
    assert not {"pytest", "ruff", "playwright", "hypothesis"} & set(build)
