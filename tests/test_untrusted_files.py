"""No file from outside the project is published, no picture can act, and the settings run no code.

A pull request can add a symbolic link, an SVG or a YAML tag as easily as a sentence; each case here is
refused at its path before anything is read, copied or run, and a failed build leaves the last good site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_build, run_command, site_snapshot

from guidelines.checks import run_checks
from guidelines.content import load_content
from guidelines.project import load_project


def assert_refused(root: Path, before: dict[str, bytes], message: str) -> str:
    result = run_build(root)
    assert result.returncode == 1, result.stderr
    assert any(line.startswith(message) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert site_snapshot(root) == before
    return result.stderr


# a link a pull request adds under docs/ → where it points (relative to the link)
OUTSIDE_LINKS = {
    "the checkout's git credentials": ("docs/en/images/config.txt", "../../../.git/config"),
    "the build's environment": ("docs/en/images/environ.txt", "/proc/self/environ"),
    "a folder outside the project": ("docs/en/images/outside", "../../../../outside"),
}


@pytest.mark.parametrize("case", sorted(OUTSIDE_LINKS))
def test_a_link_out_of_docs_is_refused_at_its_path_and_nothing_is_published(built_project, case):
    link, target = OUTSIDE_LINKS[case]
    (built_project / ".git").mkdir(exist_ok=True)
    (built_project / ".git/config").write_text("extraheader = AUTHORIZATION: basic c2VjcmV0\n")
    outside = built_project.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("secret\n")
    before = site_snapshot(built_project)
    (built_project / link).symlink_to(target)
    kind = "folder" if case == "a folder outside the project" else "file"
    assert_refused(
        built_project,
        before,
        f"{link}: FILE_OUTSIDE the {kind} is a link to '{target}', outside the docs folder",
    )


def test_a_link_inside_docs_is_allowed(fixture_project):
    (fixture_project / "docs/lv/images/plan-copy.svg").symlink_to("../../en/images/plan.svg")
    content, findings = load_content(load_project(fixture_project))
    assert [finding for finding in findings + run_checks(content) if finding.code == "FILE_OUTSIDE"] == []


def test_a_page_linked_from_outside_is_not_even_read(fixture_project, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"\xff not text")  # read, it would be an ENCODING error instead
    page = fixture_project / "docs/lv/02-premises.md"
    page.unlink()
    page.symlink_to(outside)
    _, findings = load_content(load_project(fixture_project))
    assert [finding.format() for finding in findings if finding.path == "docs/lv/02-premises.md"] == [
        f"docs/lv/02-premises.md: FILE_OUTSIDE the file is a link to '{outside}', outside the docs folder, "
        "whose content would be published (hint: delete the link and put a copy of the file itself in "
        "docs/, if it is meant to be published)"
    ]


PLAIN = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n'
# an SVG a pull request adds as a picture → the message at its line
UNSAFE_PICTURES = {
    "a script": (f"{PLAIN}<script>alert(1)</script>\n</svg>", ":2: SVG_UNSAFE the picture holds <script>"),
    "an event attribute": (
        f'{PLAIN}<rect width="5" height="5" onclick="alert(1)"/>\n</svg>',
        ':2: SVG_UNSAFE the picture holds the event attribute onclick="alert(1)" on <rect>',
    ),
    "an animated script link": (
        f'{PLAIN}<a href="#plan">\n<animate attributeName="href" values="javascript:alert(1)"/>'
        "<text>Plan</text></a>\n</svg>",
        ":3: SVG_UNSAFE the picture holds <animate> that changes a link (href)",
    ),
    "a set of a link": (
        f'{PLAIN}<a href="#plan">\n<set attributeName="xlink:href" to="#other"/></a>\n</svg>',
        ":3: SVG_UNSAFE the picture holds <set> that changes a link (xlink:href)",
    ),
    "a picture from a web address": (
        f'{PLAIN}<image href="https://example.org/logo.png" width="5" height="5"/>\n</svg>',
        ':2: SVG_UNSAFE the picture holds a reference href="https://example.org/logo.png" on <image>',
    ),
    "a web page inside": (
        f'{PLAIN}<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
        "</foreignObject>\n</svg>",
        ":2: SVG_UNSAFE the picture holds <foreignObject>",
    ),
    "an entity reading a file": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        f"{PLAIN}<text>&secret;</text>\n</svg>",
        ":2: SVG_UNSAFE the picture declares a document type or entities",
    ),
    "a style importing from a web address": (
        f"{PLAIN}<style>@import url(https://example.org/a.css);</style>\n</svg>",
        ":2: SVG_UNSAFE the picture holds a <style> that loads something from outside the picture",
    ),
}


@pytest.mark.parametrize("case", sorted(UNSAFE_PICTURES))
def test_an_svg_that_could_act_is_refused_at_its_line(fixture_project, case):
    svg, expected = UNSAFE_PICTURES[case]
    (fixture_project / "docs/lv/images/plan.svg").write_text(svg, encoding="utf-8")
    content, _ = load_content(load_project(fixture_project))
    messages = [finding.format() for finding in run_checks(content)]
    assert any(message.startswith(f"docs/lv/images/plan.svg{expected}") for message in messages), messages
    assert all("(hint: " in message for message in messages)


def test_a_drawing_with_its_own_gradients_and_shapes_is_accepted(fixture_project):
    (fixture_project / "docs/lv/images/plan.svg").write_text(
        f'{PLAIN}<defs><linearGradient id="wall"/></defs>\n<rect fill="url(#wall)" width="5" height="5"/>'
        '<use href="#wall"/>\n</svg>',
        encoding="utf-8",
    )
    content, _ = load_content(load_project(fixture_project))
    assert run_checks(content) == []


@pytest.mark.parametrize(
    "tagged",
    [
        'hooks_note: !!python/object/apply:os.system ["touch {marker}"]',
        '%TAG !py! tag:yaml.org,2002:python/\n---\nhooks_note: !py!object/apply:os.system ["touch {marker}"]',
    ],
    ids=["a python tag", "a python tag through a %TAG directive"],
)
def test_a_python_tag_in_the_settings_is_refused_before_anything_reads_them(built_project, tagged):
    marker = built_project / "code-ran"
    config = built_project / "mkdocs.yml"
    addition = tagged.format(marker=marker)
    config.write_text(
        addition.replace("hooks_note", config.read_text(encoding="utf-8") + "hooks_note")
        if addition.startswith("hooks_note")
        else addition.replace("---\nhooks_note", "---\n" + config.read_text(encoding="utf-8") + "hooks_note"),
        encoding="utf-8",
    )
    line = (
        config.read_text(encoding="utf-8")
        .splitlines()
        .index(
            next(
                text
                for text in config.read_text(encoding="utf-8").splitlines()
                if text.startswith("hooks_note")
            )
        )
    )
    before = site_snapshot(built_project)
    assert_refused(
        built_project,
        before,
        f"mkdocs.yml:{line + 1}: CONFIG the tag '!!python/object/apply:os.system' would run Python code",
    )
    assert not marker.exists()
    result = run_command("check", "-C", str(built_project))
    assert result.returncode == 1 and not marker.exists(), result.stderr
    assert os.listdir(built_project / "site")
