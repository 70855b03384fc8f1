"""MkDocs Markdown becomes pandoc Markdown that means the same thing in one document."""

from __future__ import annotations

from pathlib import Path

from guidelines.content import parse_page
from guidelines.markdown import ConversionContext, convert_page


def page(body: str, name: str = "03-chapter.md"):
    text = f'---\ntitle: "Chapter: three"\n---\n\n{body}'
    parsed, findings = parse_page("en", name, Path("/p/docs/en") / name, text, f"docs/en/{name}")
    assert not findings
    return parsed


def convert(body: str, name: str = "03-chapter.md", edition=("03-chapter.md", "04-other.md")) -> str:
    context = ConversionContext(
        edition_pages=set(edition),
        page_url=lambda file, anchor: f"https://site/{file}" + (f"#{anchor}" if anchor else ""),
        image_path=lambda p, src: f"docs/en/{src}",
        glossary_table=lambda: "| Term |\n|---|\n| centre |",
    )
    return convert_page(page(body, name), context)


def test_title_becomes_the_chapter_heading_with_a_stable_id():
    assert convert("Text.").startswith("# Chapter\\: three {#ch-03-chapter}")


def test_annex_heading_is_marked_for_annex_numbering():
    text = convert("Text.", name="annex-a-list.md", edition=("annex-a-list.md",))
    assert text.startswith("# Chapter\\: three {#ch-annex-a-list .annex .unnumbered}")


def test_admonition_becomes_a_fenced_div_with_title_and_dedented_body():
    text = convert(
        '!!! warning "Check the current act"\n\n    The act changes.\n\n    - one\n    - two\n\nAfter.'
    )
    assert ":::: {.admonition .warning}" in text
    assert "::: admonition-title\nCheck the current act\n:::" in text
    assert "\nThe act changes.\n" in text and "\n- one\n- two\n" in text
    assert text.index("::::\n") < text.index("After.")


def test_footnote_labels_are_unique_per_chapter():
    text = convert("Fact.[^1]\n\n[^1]: Source.")
    assert "Fact.[^03-chapter-1]" in text
    assert "[^03-chapter-1]: Source." in text


def test_heading_ids_are_namespaced_by_chapter():
    assert "## Steps {#ch-03-chapter--steps}" in convert("## Steps {#steps}")


def test_heading_without_id_gets_the_sites_slug():
    assert "## Plan the work {#ch-03-chapter--plan-the-work}" in convert("## Plan the work")


def test_links_between_chapters_stay_inside_the_document():
    text = convert("See [the other](04-other.md) and [its part](04-other.md#part) and [here](#steps).")
    assert "[the other](#ch-04-other)" in text
    assert "[its part](#ch-04-other--part)" in text
    assert "[here](#ch-03-chapter--steps)" in text


def test_links_to_pages_outside_the_edition_point_at_the_website():
    assert "[home](https://site/index.md)" in convert("[home](index.md)")
    assert "[part](https://site/index.md#a)" in convert("[part](index.md#a)")


def test_external_links_are_left_alone():
    assert "[EU](https://europa.eu/x.md)" in convert("[EU](https://europa.eu/x.md)")


def test_images_are_rewritten_and_keep_alt_text():
    assert "![A ramp at the entrance](docs/en/images/plan.svg)" in convert(
        "![A ramp at the entrance](images/plan.svg)"
    )


def test_code_blocks_are_not_converted():
    text = convert("```\n!!! note\n[^1]\n```")
    assert "```\n!!! note\n[^1]\n```" in text


def test_glossary_marker_becomes_the_table():
    assert "| centre |" in convert("[[glossary-table]]")


def test_lines_that_pandoc_would_read_as_a_div_stay_text():
    assert "\\::: 0" in convert("::: 0")
