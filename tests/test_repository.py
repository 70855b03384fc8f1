"""The repository's conventions: the workflows, hooks and Makefile call commands that exist."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter
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


# Sample values for the variables the workflows' commands use, so their arguments can be parsed.
SAMPLE_VALUES = {"PR": "7", "GITHUB_BASE_REF": "main", "number": "7", "PREVIEW": "preview", "pages": "lv/"}
GUIDELINES_CALL = re.compile(r"(?:\.venv/)?bin/guidelines((?:[^)|;&>]|\$\()*)")


def with_sample_values(line: str) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda match: SAMPLE_VALUES.get(match.group(1), match.group(0)), line)


def guidelines_calls(line: str) -> list[list[str]]:
    """The arguments of each `guidelines` command in a shell line, wherever it stands (after `if`,
    inside `$(...)`), with the variables it uses given sample values."""
    return [shlex.split(with_sample_values(call.group(1))) for call in GUIDELINES_CALL.finditer(line)]


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
        for arguments in guidelines_calls(line):
            assert_guidelines_command_exists(arguments)
        words = shlex.split(line) if line.strip().startswith(("make ", ".ci/")) else [""]
        if words[0].startswith(".ci/"):
            assert os.access(ROOT / words[0], os.X_OK), words[0]
        if words[0] == "make":
            assert set(w for w in words[1:] if "=" not in w) <= targets, line
            for option in (w.split("=", 1)[1] for w in words[1:] if w.startswith("CHECK_OPTIONS=")):
                assert_guidelines_command_exists(["check", *shlex.split(option)])


def test_the_workflows_cover_pull_requests_main_and_release_tags():
    triggers = {path.name: yaml.safe_load(path.read_text())[True] for path in WORKFLOWS}
    assert triggers["pull-request.yml"] == {
        "pull_request": {"types": ["opened", "synchronize", "reopened", "closed"]}
    }
    assert triggers["publish.yml"]["push"]["branches"] == ["main"]
    assert triggers["release.yml"]["push"]["tags"] == ["v*"]
    pull_request = workflow("pull-request.yml")
    lines = " ".join(run_lines(pull_request))
    assert "--format github" in lines and "guidelines build --preview" in lines
    assert "test_changed_pages.py" in lines and "--format markdown" in lines
    steps = pull_request["jobs"]["text"]["steps"]
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


def test_a_pull_request_that_changes_only_text_does_not_run_the_toolkits_tests():
    assert "make test" not in " ".join(run_lines(workflow("pull-request.yml")))
    toolkit = workflow("toolkit.yml")
    assert "make test" in " ".join(run_lines(toolkit))
    paths = toolkit[True]["pull_request"]["paths"]
    assert {"tools/**", "tests/**", "pyproject.toml", "Makefile", ".github/**"} <= set(paths)
    assert not any(path.startswith("docs") for path in paths)


def test_workflows_download_nothing_from_other_hosts():
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(curl|wget)\b|https?://", text), path.name
        assert (
            "apt-get install chromium" not in text
        )  # a snap stub on Ubuntu: make finds the runner's browser


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


# The section of each translated guide that explains, in its language, every code of the English one.
TRANSLATED_MESSAGE_SECTIONS = {
    "lv": "Visu pārbaužu ziņojumu skaidrojums",
    "lt": "Visų patikros pranešimų paaiškinimas",
}


def guide_section(text: str, title: str) -> str:
    """The lines under the heading `title`, down to the next heading of the same level or above."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if re.fullmatch(rf"(#+) {re.escape(title)}", line))
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next(
        (index for index in range(start + 1, len(lines)) if re.match(rf"#{{1,{level}}} ", lines[index])),
        len(lines),
    )
    return "\n".join(lines[start + 1 : end])


def message_rows(text: str) -> Counter[str]:
    """How often each code starts a table row: a code that is both an error and a warning has two."""
    return Counter(re.findall(r"^\| `([A-Z][A-Z_]+)` \|", text, re.MULTILINE))


def exit_code_rows(text: str) -> set[str]:
    return set(re.findall(r"^\| (\d+) \|", text, re.MULTILINE))


def github_anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces made hyphens."""
    return "#" + re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


@pytest.mark.parametrize(
    ("language", "title"), [pytest.param(*item, id=item[0]) for item in TRANSLATED_MESSAGE_SECTIONS.items()]
)
def test_the_latvian_and_lithuanian_guides_explain_every_message_and_exit_code(language, title):
    english = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    translated = (ROOT / f"CONTRIBUTING.{language}.md").read_text(encoding="utf-8")
    explained = guide_section(translated, title)
    english_messages = message_rows(guide_section(english, "All messages"))
    assert len(english_messages) > 25
    assert message_rows(explained) == english_messages, {
        "missing": sorted((english_messages - message_rows(explained)).elements()),
        "not in English": sorted((message_rows(explained) - english_messages).elements()),
    }
    english_exit_codes = exit_code_rows(guide_section(english, "When a command ends: exit codes"))
    assert len(english_exit_codes) > 2
    assert exit_code_rows(explained) == english_exit_codes
    # Where the guide first speaks of the checks, it sends the reader to the section.
    assert translated.index(f"]({github_anchor(title)})") < translated.index(f"## {title}")


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))


def checkouts(job: dict) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]


def pushes(line: str) -> bool:
    return "git push" in line or ".ci/publish-gh-pages" in line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkout_keeps_no_credentials_where_nothing_is_pushed(path):
    for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
        pushing = any(pushes(line) for line in run_lines({"jobs": {"job": job}}))
        for step in checkouts(job):
            assert step.get("with", {}).get("persist-credentials") is pushing, (path.name, step)


def test_only_main_and_the_previews_push_and_only_gh_pages():
    pushing = {
        (path.name, name)
        for path in WORKFLOWS
        for name, job in workflow(path.name)["jobs"].items()
        if any(pushes(line) for line in run_lines({"jobs": {name: job}}))
    }
    assert pushing == {
        ("publish.yml", "publish-dev"),
        ("pull-request.yml", "preview"),
        ("pull-request.yml", "remove-preview"),
    }
    for path in WORKFLOWS:
        for line in run_lines(workflow(path.name)):
            assert "git push" not in line  # only through the script, which pushes gh-pages alone
    script = (ROOT / ".ci/publish-gh-pages").read_text(encoding="utf-8")
    assert re.findall(r"git push[^\n]*", script) == ["git push --quiet origin gh-pages; then"]
    assert workflow("publish.yml")[True] == {"push": {"branches": ["main"]}}


def test_the_jobs_with_a_write_token_never_run_a_pull_requests_code():
    jobs = workflow("pull-request.yml")["jobs"]
    writing = {name for name, job in jobs.items() if "permissions" in job}
    assert writing == {"preview", "remove-preview"}
    for name in writing:
        (checkout,) = checkouts(jobs[name])
        assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
        # a fork's pull request: no write token, and its site would run on the project's own address
        assert "github.event.pull_request.head.repo.full_name == github.repository" in jobs[name]["if"]
        text = yaml.safe_dump(jobs[name])
        assert "github.event.pull_request.head.sha" not in text and "head.ref" not in text
    assert jobs["preview"]["needs"] == "text"
    assert "github.token" in yaml.safe_dump(jobs["preview"])  # the comment


@pytest.mark.parametrize(("name", "job"), [("pull-request.yml", "text"), ("toolkit.yml", "test")])
def test_a_pull_requests_code_runs_with_a_read_only_token_and_no_secrets(name, job):
    pull_request = workflow(name)
    assert set(pull_request[True]) == {"pull_request"}  # not pull_request_target, which can write
    assert pull_request["permissions"] == {"contents": "read"}
    assert "secrets." not in (ROOT / ".github/workflows" / name).read_text(encoding="utf-8")
    runs_the_code = pull_request["jobs"][job]
    assert "permissions" not in runs_the_code and "github.token" not in yaml.safe_dump(runs_the_code)
    assert all("ref" not in step.get("with", {}) for step in checkouts(runs_the_code))  # the change itself


def summary_after(tmp_path: Path, changed: dict[str, str]) -> str:
    """The pull-request summary the workflow's code-change step writes for a branch changing `changed`."""
    (step,) = [
        step
        for step in workflow("pull-request.yml")["jobs"]["text"]["steps"]
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


def step_named(workflow_name: str, job: str, name: str) -> dict:
    (step,) = [step for step in workflow(workflow_name)["jobs"][job]["steps"] if step.get("name") == name]
    return step


@pytest.mark.slow  # builds or typesets
@pytest.mark.parametrize("from_fork", [False, True], ids=["same-repository", "fork"])
def test_the_review_step_writes_the_summary_and_what_the_preview_workflow_needs(tmp_path, from_fork):
    from conftest import copy_fixture, git, init_repository

    root = copy_fixture(tmp_path)
    init_repository(root)
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    chapter = root / "docs/lv/02-premises.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("Telpas", "Telpas un ēkas", 1), encoding="utf-8")
    git(root, "commit", "--quiet", "--all", "--message", "A Latvian edit")
    (root / ".venv").symlink_to(ROOT / ".venv")
    step = step_named("pull-request.yml", "text", "Say what the change does to each language")
    summary = tmp_path / "summary.md"
    environment = {
        **os.environ,
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "PR": "7",
        "FROM_FORK": "true" if from_fork else "false",
    }
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=root, env=environment, check=True, timeout=600)
    review = (root / "review.md").read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8") == review
    assert "### Latvian: 1 page changed" in review and "| Latvian PDF |" in review
    linked = "https://example.org/guidelines/pr/7/lv/02-premises/" in review
    assert linked is not from_fork
    assert ("No preview is published for a pull request from a fork" in review) is from_fork


FAKE_GH = """#!/usr/bin/env bash
# gh as the comment script calls it: `api --paginate URL --jq FILTER` answers with the comments in
# $COMMENTS (filtered by the real jq); every other call is recorded.
if [ "$2" = --paginate ]; then jq -r "$5" <<< "$COMMENTS"; exit; fi
printf '%s\\n' "$*" >> "$CALLS"
"""


def test_the_summary_comment_is_added_once_then_updated_in_place(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/gh").write_text(FAKE_GH)
    (tmp_path / "bin/gh").chmod(0o755)
    (tmp_path / "review.md").write_text("## What this change does to the guidelines\n")
    calls = tmp_path / "calls"
    environment = {
        **os.environ,
        "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
        "GITHUB_REPOSITORY": "octopus/guidelines",
        "CALLS": str(calls),
    }
    step = step_named("pull-request.yml", "preview", "Add or update the pull request's summary comment")
    assert step["run"].startswith(".ci/summary-comment ")
    script = [str(ROOT / ".ci/summary-comment"), "7", str(tmp_path / "review.md")]
    someone_elses = {"id": 1, "user": {"login": "expert"}, "body": "<!-- guidelines review -->\nnot ours"}
    subprocess.run(script, env={**environment, "COMMENTS": json.dumps([someone_elses])}, check=True)
    ours = {"id": 42, "user": {"login": "github-actions[bot]"}, "body": "<!-- guidelines review -->\nold"}
    subprocess.run(script, env={**environment, "COMMENTS": json.dumps([someone_elses, ours])}, check=True)
    first, second = calls.read_text().split("api --method ")[1:]
    assert first.startswith(
        "POST repos/octopus/guidelines/issues/7/comments -f body=<!-- guidelines review -->"
    )
    assert "## What this change does to the guidelines" in first
    assert second.startswith(
        "PATCH repos/octopus/guidelines/issues/comments/42 -f body=<!-- guidelines review -->"
    )
    refused = subprocess.run([*script[:1], "7; rm -rf /", script[2]], env=environment, capture_output=True)
    assert refused.returncode == 2
