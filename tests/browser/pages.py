"""What the browser tests read off a loaded page."""

from __future__ import annotations


def hrefs(page, selector: str) -> list[str]:
    """The addresses of the links `selector` finds, as the browser resolved them."""
    return page.locator(selector).evaluate_all("links => links.map(link => link.href)")


def switcher_targets(page) -> dict[str, str]:
    """Language -> where a click on it in the page's language switcher goes."""
    return page.locator("a.md-select__link[hreflang]").evaluate_all(
        "links => Object.fromEntries(links.map(a => [a.hreflang, a.href]))"
    )
