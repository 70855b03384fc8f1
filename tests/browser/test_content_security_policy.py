"""Defence in depth, in Chromium: every page carries a Content-Security-Policy that lets only the site's
own scripts run, so a script that got past the checks (here: written into a built page) does not run,
while the site's own scripts (search, its worker, the lazy index loader, the switchers) all still do
(every page's policy, and no complaint from the browser about it, in test_reader_site.py)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guidelines.static_server import serving

from .conftest import listening

INJECTED = (
    '<script>document.documentElement.dataset.injected = "script ran"</script>'
    '<img src="missing.png" alt="" onerror="document.documentElement.dataset.handler = \'handler ran\'">'
)


class _Policy(HTMLParser):
    def __init__(self):
        super().__init__()
        self.policies: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.policies.append(attributes["content"])


def policies(path: Path) -> list[str]:
    parser = _Policy()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.policies


def inject(site: Path, page: str) -> None:
    path = site / page
    path.write_text(path.read_text(encoding="utf-8").replace("</article>", INJECTED + "</article>", 1))


def without_policy(site: Path, page: str) -> None:
    path = site / page
    text = path.read_text(encoding="utf-8")
    (policy,) = policies(path)
    path.write_text(text.replace(f'<meta http-equiv="Content-Security-Policy" content="{policy}">', ""))


@pytest.mark.parametrize("policy", ["with the policy", "without the policy"])
def test_a_script_written_into_a_built_page_runs_only_without_the_policy(
    page, built_fixture, tmp_path, policy
):
    site = tmp_path / "site"
    shutil.copytree(built_fixture / "site", site)
    inject(site, "lv/02-premises/index.html")
    if policy == "without the policy":
        without_policy(site, "lv/02-premises/index.html")
    messages = []
    listener = {"console": lambda message: messages.append(message.text)}
    with listening(page, listener), serving(site, "https://example.org/guidelines/") as url:
        page.goto(url + "lv/02-premises/")
        page.wait_for_load_state("networkidle")
        ran = page.evaluate(
            "() => [document.documentElement.dataset.injected, document.documentElement.dataset.handler]"
        )
    if policy == "with the policy":
        assert ran == [None, None]
        assert any("violates the following Content Security Policy directive" in text for text in messages), (
            messages
        )
    else:
        assert ran == ["script ran", "handler ran"]
