"""Each parity rule fires on a translation that drifted from its source, and is silent when clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelines.checks import parity
from guidelines.content import load_content
from guidelines.findings import Severity
from guidelines.project import load_project


def parity_messages(root: Path) -> list[str]:
    content, _ = load_content(load_project(root))
    return [finding.format() for finding in parity.check(content)]


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_clean_fixture_has_no_parity_findings(fixture_project):
    assert parity_messages(fixture_project) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{#counting-answers}",
            "{#skaitisana}",
            "PARITY_HEADING heading 'counting-answers' of docs/en/01-first-steps.md:19",
        ),
        (
            "## Atbilžu skaitīšana",
            "### Atbilžu skaitīšana",
            "PARITY_HEADING heading 'counting-answers' is level 3",
        ),
        (
            "(02-premises.md#choosing-a-building)",
            "(02-premises.md)",
            "PARITY_LINK link '02-premises.md#choosing-a-building'",
        ),
        (
            '!!! note "Atcerieties"\n\n    Vajadzību',
            "Vajadzību",
            "PARITY_BLOCKS 1 boxes here, 2 in docs/en/01-first-steps.md",
        ),
        (
            "- plānojiet to laikus;\n    - saskaitiet",
            "plānojiet to laikus; saskaitiet",
            "PARITY_BLOCKS 0 lists here",
        ),
    ],
)
def test_drift_in_a_latvian_chapter_is_reported_naming_both_files(fixture_project, old, new, expected):
    rewrite(fixture_project / "docs/lv/01-first-steps.md", old, new)
    messages = parity_messages(fixture_project)
    assert any(m.startswith("docs/lv/01-first-steps.md:") and expected in m for m in messages), messages


def test_missing_image_and_table_are_reported(fixture_project):
    page = fixture_project / "docs/lt/02-premises.md"
    rewrite(page, "![Aukšto planas su pandusu prie įėjimo ir pritaikytu tualetu](images/plan.svg)", "")
    rewrite(page, "| Pastatas | Paskirtis |\n|---|---|\n", "")
    messages = parity_messages(fixture_project)
    assert any(
        "PARITY_IMAGE image 'images/plan.svg' of docs/en/02-premises.md is missing here" in m
        for m in messages
    )
    assert any("PARITY_BLOCKS 0 tables here, 1 in docs/en/02-premises.md" in m for m in messages)


def test_a_home_page_missing_a_title_page_key_of_the_source_is_an_error_at_its_line(fixture_project):
    # The fixture's home pages have the same keys (title, subtitle, programme, funding): the clean
    # test above covers that.
    rewrite(fixture_project / "docs/lv/index.md", 'subtitle: "Neliels testa izdevums"\n', "")
    content, _ = load_content(load_project(fixture_project))
    findings = [finding for finding in parity.check(content) if finding.code == "PARITY_TITLE_PAGE"]
    assert [finding.format() for finding in findings] == [
        "docs/lv/index.md:4: PARITY_TITLE_PAGE the front matter has no 'subtitle', which "
        "docs/en/index.md:3 has: this language's title page would lack it "
        "(hint: add 'subtitle:' with the translation of the source's value)"
    ]
    assert findings[0].severity is Severity.ERROR


def test_a_home_page_key_the_source_lacks_is_reported_on_the_line_that_writes_it(fixture_project):
    rewrite(
        fixture_project / "docs/lt/index.md",
        'subtitle: "Nedidelis bandomasis leidimas"\n',
        'subtitle: "Nedidelis bandomasis leidimas"\ndescription: "Tik lietuviškai."\n',
    )
    messages = parity_messages(fixture_project)
    assert any(
        m.startswith(
            "docs/lt/index.md:4: PARITY_TITLE_PAGE the front matter has 'description', which docs/en/index.md"
        )
        for m in messages
    ), messages


def test_only_the_home_page_is_held_to_its_source_front_matter(fixture_project):
    rewrite(
        fixture_project / "docs/lv/01-first-steps.md",
        "---\n",
        '---\ndescription: "Tikai latviski"\n',
    )
    assert not [m for m in parity_messages(fixture_project) if "PARITY_TITLE_PAGE" in m]
