"""A page becomes a chapter of its edition from the HTML the site renders, never a second reading of
its Markdown: what the site shows (and hides), the chapter shows (and hides)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelines.content import parse_page
from guidelines.editions.chapters import ChapterContext, edition_chapter
from guidelines.pandoc import run_pandoc
from guidelines.project import load_project
from guidelines.rendering import render

FIXTURE = Path(__file__).parent / "fixtures" / "project"


@pytest.fixture(scope="module")
def project():
    return load_project(FIXTURE)


def chapter(project, body: str, name: str = "03-chapter.md", language: str = "en", edition_language="en"):
    text = f'---\ntitle: "Chapter: <three> & more"\n---\n\n{body}'
    page, findings = parse_page(
        language, name, FIXTURE / "docs" / language / name, text, name, lambda body: render(project, body)
    )
    assert not findings
    context = ChapterContext(
        language=edition_language,
        edition_pages={"03-chapter.md", "04-other.md", "annex-a-list.md"},
        page_url=lambda file, anchor: f"https://site/{file}" + (f"#{anchor}" if anchor else ""),
        image_path=lambda page, src: f"docs/en/{src}",
        fallback_note=lambda page: '<p class="fallback">Not yet translated</p>',
    )
    return edition_chapter(page, page.html, context)


def typst(project, body: str, **options) -> str:
    from guidelines.editions import TEMPLATES

    return run_pandoc(
        chapter(project, body, **options), "typst", "--lua-filter", str(TEMPLATES / "guidelines.lua")
    )


def test_the_title_is_the_chapter_heading_with_a_stable_id_and_is_text(project):
    assert chapter(project, "Text.").startswith(
        '<h1 id="ch-03-chapter">Chapter: &lt;three&gt; &amp; more</h1>'
    )


def test_an_annex_heading_is_marked_for_annex_numbering(project):
    html = chapter(project, "Text.", name="annex-a-list.md")
    assert html.startswith('<h1 id="ch-annex-a-list" class="annex unnumbered">')


def test_heading_ids_are_the_sites_namespaced_by_chapter(project):
    html = chapter(project, "## Steps {#steps}\n\n## Plan the work")
    assert 'id="ch-03-chapter--steps"' in html
    assert 'id="ch-03-chapter--plan-the-work"' in html  # the site's own slug
    assert "headerlink" not in html and "¶" not in html


def test_links_between_chapters_stay_inside_the_document(project):
    html = chapter(project, "See [the other](04-other.md), [its part](04-other.md#part), [here](#steps).")
    assert 'href="#ch-04-other"' in html
    assert 'href="#ch-04-other--part"' in html
    assert 'href="#ch-03-chapter--steps"' in html


def test_reference_style_links_and_images_are_read_as_the_site_reads_them(project):
    html = chapter(project, "See [the other][o] and ![Plan][p].\n\n[o]: 04-other.md\n[p]: images/plan.svg")
    assert 'href="#ch-04-other"' in html
    assert 'src="docs/en/images/plan.svg"' in html


def test_links_to_pages_outside_the_edition_point_at_the_website(project):
    assert 'href="https://site/index.md#a"' in chapter(project, "[part](index.md#a)")


def test_external_links_are_left_alone(project):
    assert 'href="https://europa.eu/x.md"' in chapter(project, "[EU](https://europa.eu/x.md)")


def test_boxes_carry_their_title_for_the_filter(project):
    text = typst(project, '!!! warning "Check the current act"\n\n    The act changes.\n\nAfter.')
    assert '#admonition(kind: "warning", title: [Check the current act])[' in text
    assert text.index("The act changes.") < text.index("After.")


def test_details_are_a_box_as_on_the_site(project):
    text = typst(project, "<details><summary>More</summary>\nHidden text\n</details>")
    assert '#admonition(kind: "note", title: [More])[' in text and "Hidden text" in text


def test_footnotes_become_notes_at_their_reference(project):
    text = typst(project, "Fact.[^1] Other.[^b]\n\n[^1]: Source one.\n[^b]: Source two.")
    assert "Fact.#footnote[Source one.] Other.#footnote[Source two.]" in text
    assert "↩" not in text


def test_what_the_site_hides_the_chapter_hides(project):
    text = typst(project, "Visible <!-- TODO: check --> text, m<sup>2</sup>.")
    assert "TODO" not in text and "Visible" in text
    assert "#super[2]" in text


def test_code_is_shown_as_written(project):
    text = typst(project, "````\n```\n## Not a heading {#x}\n[^1]\n```\n````\n\nAnd `[^1]` inline.")
    assert "## Not a heading {#x}" in text and "[^1]" in text


def test_an_image_size_is_a_typst_length(project):
    text = typst(project, '![Plan](images/plan.svg){ width="300" }')
    assert '#image("docs/en/images/plan.svg", width: 225.0pt, alt: "Plan")' in text


def test_a_fallback_page_says_so_and_is_tagged_with_its_own_language(project):
    html = chapter(project, "English text.", language="en", edition_language="lv")
    assert '<p class="fallback">Not yet translated</p>' in html
    assert '<div lang="en">' in html
    assert '#set text(lang: "en", region: none)' in typst(
        project, "English text.", language="en", edition_language="lv"
    )


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('!!! note inline end "Side note"\n\n    Text.', '#admonition(kind: "note", title: [Side note])['),
        ("!!! note Side note\n\n    Text.", '#admonition(kind: "note", title: [Note])['),
        ("- Item\n\n    !!! tip\n\n        Inside.", '#admonition(kind: "tip", title: [Tip])['),
        ("??? note\n    Not a box on the site.", "??? note Not a box on the site."),  # text there too
        ("Press <kbd>Ctrl</kbd>,<br>then", "Press Ctrl, \\ then"),  # a line break
    ],
)
def test_the_edition_shows_what_the_site_shows(project, markdown, expected):
    assert " ".join(expected.split()) in " ".join(typst(project, markdown).split())


def test_raw_html_closed_on_its_line_does_not_swallow_the_next_chapter(project):
    first = chapter(project, '<div class="note">Closed on 18 November.</div>\n\nAfter.')
    second = chapter(project, "Second chapter.", name="04-other.md")
    text = run_pandoc(first + second, "typst")
    assert "Closed on 18 November." in text
    assert "\n= Chapter: \\<three\\> & more\n<ch-04-other>" in text  # still a chapter heading


def test_what_only_a_screen_can_do_has_a_printed_form():
    # Tabs and task lists, should mkdocs.yml enable pymdownx.tabbed and pymdownx.tasklist.
    import markdown

    rendered = markdown.markdown(
        '=== "Latvia"\n\n    Register.\n\n=== "Lithuania"\n\n    License.\n\n- [x] done\n- [ ] to do\n',
        extensions=["pymdownx.tabbed", "pymdownx.tasklist"],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )
    text = '---\ntitle: "Tabs"\n---\n\n'
    path = FIXTURE / "docs/en/03-chapter.md"
    page, _ = parse_page("en", "03-chapter.md", path, text, "x", lambda _: rendered)
    context = ChapterContext("en", {"03-chapter.md"}, lambda f, a: f, lambda p, s: s, lambda p: "")
    typst_text = run_pandoc(edition_chapter(page, page.html, context), "typst")
    shown = " ".join(typst_text.split())
    assert "#strong[Latvia] #block[ Register. ] #strong[Lithuania] #block[ License. ]" in shown
    assert "☑ done" in typst_text and "☐ to do" in typst_text
