"""A pull request's preview: the built site under pr/<number>/ on gh-pages, replaced on every push,
removed when the pull request closes; the released editions and the version selector never change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_EPOCH, copy_fixture, git, init_repository, run_command

from guidelines.build import CACHE_DIR

pytestmark = pytest.mark.slow  # builds the fixture's preview with its editions

RELEASED = {
    "versions.json": json.dumps([{"version": "1.0", "title": "1.0", "aliases": ["latest"]}]),
    "index.html": '<meta http-equiv="refresh" content="0; url=latest/">',
    "1.0/index.html": "<p>Edition 1.0</p>",
    "latest/index.html": "<p>Edition 1.0</p>",
    "dev/index.html": "<p>Work in progress</p>",
}


def guidelines(root: Path, *args: str) -> subprocess.CompletedProcess:
    # dated as the built fixture (see clone)
    result = run_command(*args, "-C", str(root), env={"SOURCE_DATE_EPOCH": FIXTURE_EPOCH})
    assert result.returncode == 0, result.stderr
    return result


def published(origin: Path) -> dict[str, str]:
    """What origin's gh-pages holds: path -> blob id."""
    listing = git(origin, "ls-tree", "-r", "gh-pages")
    return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory, built_fixture: Path) -> tuple[Path, Path]:
    """A bare repository as `origin` holding main and a gh-pages with edition 1.0, latest and dev, and
    a fresh clone of it, as a CI runner has (gh-pages fetched), given the built fixture's edition
    cache (a CI runner restores one): a preview of the unchanged text typesets nothing."""
    base = tmp_path_factory.mktemp("previews")
    source = copy_fixture(base)
    init_repository(source)
    git(source, "switch", "--quiet", "--orphan", "gh-pages")  # an empty index and working tree
    for name, text in RELEASED.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    git(source, "add", *RELEASED)
    git(source, "commit", "--quiet", "--message", "Edition 1.0")
    origin = base / "origin.git"
    git(base, "clone", "--quiet", "--bare", str(source), str(origin))
    work = base / "clone"
    git(base, "clone", "--quiet", "--branch", "main", str(origin), str(work))
    git(work, "config", "user.name", "Preview Bot")
    git(work, "config", "user.email", "bot@example.org")
    git(work, "fetch", "--quiet", "origin", "gh-pages:gh-pages")
    shutil.copytree(built_fixture / CACHE_DIR, work / CACHE_DIR)
    return origin, work


def test_publish_twice_then_remove_leaves_the_released_editions_as_they_were(clone):
    origin, work = clone
    released = published(origin)
    assert set(released) == set(RELEASED)

    guidelines(work, "preview", "publish", "--pr", "7")
    git(work, "push", "--quiet", "origin", "gh-pages")
    first = published(origin)
    assert {path: blob for path, blob in first.items() if not path.startswith("pr/")} == released
    assert {"pr/7/index.html", "pr/7/lv/02-premises/index.html", "pr/7/lt/index.html"} <= set(first)
    assert any(path.startswith("pr/7/downloads/") and path.endswith(".pdf") for path in first)
    latvian = git(origin, "show", "gh-pages:pr/7/lv/index.html")
    assert "Ierosināto izmaiņu priekšskatījums (priekšlikums Nr. 7) — nav publicēts." in latvian
    assert '<meta name="robots" content="noindex">' in latvian
    assert 'href="https://example.org/guidelines/pr/7/lv/"' in latvian  # its own address
    assert 'data-md-component="outdated"' not in latvian  # no version selector, no edition banner
    assert git(origin, "show", "gh-pages:versions.json") == RELEASED["versions.json"]

    # A new push to the pull request: built as a preview (the CI artifact), published again. It
    # changes the home page, which no edition holds: the editions come from the cache.
    home = work / "docs/en/index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nA sentence from the second push.\n")
    git(work, "commit", "--quiet", "--all", "--message", "Second push")
    guidelines(work, "build", "--preview", "7")
    (work / "site/sitemap.xml.gz").unlink()  # a file the new build does not have
    guidelines(work, "preview", "publish", "--pr", "7", "--site", str(work / "site"))
    git(work, "push", "--quiet", "origin", "gh-pages")
    second = published(origin)
    assert "A sentence from the second push." in git(origin, "show", "gh-pages:pr/7/index.html")
    assert "pr/7/sitemap.xml.gz" in first and "pr/7/sitemap.xml.gz" not in second
    assert {path: blob for path, blob in second.items() if not path.startswith("pr/")} == released

    # The pull request is closed or merged.
    guidelines(work, "preview", "remove", "--pr", "7")
    git(work, "push", "--quiet", "origin", "gh-pages")
    assert published(origin) == released
    again = guidelines(work, "preview", "remove", "--pr", "7")
    assert "nothing to remove" in again.stderr


def test_an_unbuilt_folder_is_refused(clone, tmp_path):
    _, work = clone
    result = subprocess.run(
        [sys.executable, "-m", "guidelines", "preview", "publish", "--pr", "8", "--site", str(tmp_path)],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3 and "no built site" in result.stderr
    assert "pr/8/index.html" not in git(work, "ls-tree", "-r", "--name-only", "gh-pages")


def test_when_gh_pages_moves_meanwhile_the_preview_is_committed_again_on_top(clone, tmp_path):
    """Publish, the previews and an editor's release push gh-pages independently: the workflows'
    script starts again from origin's branch when its push is refused, and nobody's folder is lost."""
    origin, work = clone
    editor = tmp_path / "editor"
    git(tmp_path, "clone", "--quiet", "--branch", "gh-pages", str(origin), str(editor))
    (editor / "1.1").mkdir()
    (editor / "1.1/index.html").write_text("<p>Edition 1.1</p>")
    git(editor, "add", "1.1")
    git(
        editor,
        "-c",
        "user.name=Editor",
        "-c",
        "user.email=editor@example.org",
        "commit",
        "-qm",
        "Edition 1.1",
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>Preview of pull request 9</p>")
    # The command the script runs pushes the editor's release first, as if it happened meanwhile.
    racing = tmp_path / "publish-while-an-editor-releases"
    racing.write_text(
        "#!/usr/bin/env bash\nset -e\n"
        f"[ -e {tmp_path}/raced ] || {{ touch {tmp_path}/raced; git -C {editor} push -q origin gh-pages; }}\n"
        f"exec {sys.executable} -m guidelines preview publish --pr 9 --site {site}\n"
    )
    racing.chmod(0o755)
    script = Path(__file__).parent.parent / ".ci/publish-gh-pages"
    quick = dict(os.environ, PUBLISH_RETRY_SECONDS="0")  # the workflows wait 3 s before trying again
    result = subprocess.run(
        [str(script), str(racing)], cwd=work, env=quick, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "gh-pages moved on origin meanwhile" in result.stderr
    assert {"1.1/index.html", "pr/9/index.html", "1.0/index.html"} <= set(published(origin))
    removal = [str(script), sys.executable, "-m", "guidelines", "preview", "remove", "--pr", "9"]
    subprocess.run(removal, cwd=work, capture_output=True, check=True, timeout=300)
    assert "pr/9/index.html" not in published(origin) and "1.1/index.html" in published(origin)
