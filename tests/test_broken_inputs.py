"""Bad input, nothing lost: every broken input gives a clear message with its path, never a traceback,
and the last good site stays as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import run_build, site_snapshot

BROKEN = Path(__file__).parent / "broken"
PAGE = "docs/en/02-premises.md"

# file in tests/broken/ → (the message the editor sees, whether the build stops)
CASES = {
    "invalid-utf8.md": (f"{PAGE}:5: ENCODING the file is not valid UTF-8", True),
    "empty.md": (f"{PAGE}:1: FRONT_MATTER the page has no front matter", True),
    "broken-yaml.md": (f"{PAGE}:3: FRONT_MATTER the front matter is not valid YAML", True),
    "unclosed-fence.md": (f"{PAGE}:7: CODE_FENCE this code block is never closed", True),
    "unclosed-admonition.md": (f"{PAGE}:24: BOX_EMPTY the 'note' box has no indented text", True),
    "duplicate-ids.md": (f"{PAGE}:11: HEADING_ID_DUPLICATE heading id 'choosing-a-building'", True),
    "missing-anchor.md": (f"{PAGE}:5: LINK_ANCHOR link to '01-first-steps.md#no-such-part'", True),
    "image-outside.md": (f"{PAGE}:16: IMAGE_OUTSIDE image '../../../outside.png' is outside", True),
    "bom.md": (f"{PAGE}:1: ENCODING warning: the file starts with a byte-order mark", False),
    "crlf.md": (f"{PAGE}:1: LINE_ENDS warning: the file has Windows (CRLF) line ends", False),
}


def assert_clear_failure(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 1, result.stderr
    assert any(line.startswith(message) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_page_gives_a_clear_message_and_keeps_the_last_good_site(built_project, case):
    message, stops = CASES[case]
    before = site_snapshot(built_project)
    (built_project / PAGE).write_bytes((BROKEN / case).read_bytes())
    result = run_build(built_project)
    assert "Traceback" not in result.stderr + result.stdout
    assert any(line.startswith(message) for line in result.stderr.splitlines()), result.stderr
    if stops:
        assert result.returncode == 1
        assert site_snapshot(built_project) == before
    else:
        assert result.returncode == 0, result.stderr
    assert not list(built_project.glob(".site-*"))


def test_a_5_mb_chapter_is_refused_before_it_slows_the_build(built_project):
    before = site_snapshot(built_project)
    text = (built_project / PAGE).read_text(encoding="utf-8")
    (built_project / PAGE).write_text(
        text + "Premises shape what a centre can offer. " * 130_000, encoding="utf-8"
    )
    result = run_build(built_project)
    assert_clear_failure(result, f"{PAGE}: PAGE_TOO_LARGE the file is 5.")
    assert site_snapshot(built_project) == before


def test_a_chapter_in_the_navigation_but_missing_is_named_at_its_nav_line(built_project):
    before = site_snapshot(built_project)
    config = built_project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - 02-premises.md\n", "  - 02-premises.md\n  - 03-missing.md\n")
    )
    line = config.read_text().splitlines().index("  - 03-missing.md") + 1
    result = run_build(built_project)
    assert_clear_failure(result, f"mkdocs.yml:{line}: NAV_MISSING the navigation lists '03-missing.md'")
    assert site_snapshot(built_project) == before


def test_a_page_outside_the_navigation_is_pointed_out(built_project):
    (built_project / "docs/lv/99-notes.md").write_text(
        '---\ntitle: "Piezīmes"\n---\n\nTeksts.\n', encoding="utf-8"
    )
    result = run_build(built_project)
    assert result.returncode == 0, result.stderr
    assert "docs/lv/99-notes.md: NOT_IN_NAV warning: the page is not in the navigation" in result.stderr
