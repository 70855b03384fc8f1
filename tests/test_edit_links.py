"""Every page of every language links to its own file in the repository: "Edit this page" opens it in
GitHub's editor, "View source" shows it; an untranslated page links to the English file it shows and
says, in the reader's language, how to add the translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from guidelines.project import load_project
from guidelines.site import build_site

REPOSITORY = "https://github.com/example/guidelines"
LANGUAGES = {"en": "", "lv": "lv/", "lt": "lt/"}
PAGES = {
    "index.html": "index.md",
    "01-first-steps/index.html": "01-first-steps.md",
    "annex-a-glossary/index.html": "annex-a-glossary.md",
}


def actions(page: Path) -> dict[str, str]:
    """The page's action buttons: their title (in the page's language) -> address."""
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    return {
        link.get("title"): link.get("href")
        for link in tree.xpath('//a[contains(@class, "md-content__button")]')
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("built", PAGES)
def test_every_page_edits_and_shows_its_own_languages_file(built_fixture, language, built):
    buttons = actions(built_fixture / "site" / LANGUAGES[language] / built)
    edit, view = {
        "en": ("Edit this page", "View source of this page"),
        "lv": ("Rediģēt šo lapu", "Rādīt šīs lapas avotu"),
        "lt": ("Redaguoti šį puslapį", "Žiūrėti puslapio šaltinius"),
    }[language]
    path = f"docs/{language}/{PAGES[built]}"
    assert buttons == {edit: f"{REPOSITORY}/edit/main/{path}", view: f"{REPOSITORY}/blob/main/{path}"}
    assert (built_fixture / path).is_file()


def test_the_repository_link_asks_github_for_nothing(built_fixture):
    # Material's script fetches a linked repository's stars from api.github.com: the site asks no other host.
    page = (built_fixture / "site/index.html").read_text(encoding="utf-8")
    assert f'href="{REPOSITORY}"' in page
    assert 'data-md-component="source"' not in page


@pytest.mark.slow  # builds or typesets
def test_an_untranslated_page_edits_the_english_file_and_says_how_to_translate_it(fixture_project, tmp_path):
    (fixture_project / "docs/lt/02-premises.md").unlink()
    build_site(load_project(fixture_project), tmp_path / "site", None)
    page = tmp_path / "site/lt/02-premises/index.html"
    buttons = actions(page)
    assert buttons["Redaguoti šį puslapį"] == f"{REPOSITORY}/edit/main/docs/en/02-premises.md"
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    (note,) = [
        p
        for p in tree.xpath('//div[contains(@class, "admonition")]/p')
        if "Kaip jį išversti" in p.text_content()
    ]
    links = {link.text_content(): link.get("href") for link in note.xpath(".//a")}
    assert links == {
        "sukurkite rinkmeną docs/lt/02-premises.md": f"{REPOSITORY}/new/main/docs/lt?filename=02-premises.md",
        "tekstą anglų kalba": f"{REPOSITORY}/raw/main/docs/en/02-premises.md",
    }
    # a translated page of the same build carries no such note
    assert "Kaip jį išversti" not in (tmp_path / "site/lt/01-first-steps/index.html").read_text()


@pytest.mark.slow  # builds or typesets
def test_without_a_repository_in_the_settings_no_page_has_edit_links(fixture_project, tmp_path):
    config = fixture_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(f"repo_url: {REPOSITORY}\n", "").replace("edit_uri: edit/main/docs/\n", "")
    )
    (fixture_project / "docs/lv/02-premises.md").unlink()
    build_site(load_project(fixture_project), tmp_path / "site", None)
    assert actions(tmp_path / "site/lv/01-first-steps/index.html") == {}
    page = (tmp_path / "site/lv/02-premises/index.html").read_text(encoding="utf-8")
    assert "Vēl nav iztulkots" in page and "Kā to iztulkot" not in page
