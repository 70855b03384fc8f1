"""Links between pages, anchors and images: everything a reader can click or should see."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from guidelines.content import Content, Link, Page, resolve
from guidelines.findings import Finding

IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


def check(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    for language, pages in content.pages.items():
        by_name = {page.name: page for page in pages}
        for page in pages:
            findings.extend(_nested_links(content, page))
            findings.extend(_malformed_addresses(content, page))
            for link in page.links:
                if link.is_external:
                    continue
                if link.is_image:
                    findings.extend(_image(content, page, link))
                else:
                    findings.extend(_link(content, page, link, by_name, language))
    return findings


def _link(content: Content, page: Page, link: Link, by_name: dict[str, Page], language: str) -> list[Finding]:
    shown = content.project.display(page.path)
    file, anchor = link.split()
    target_name = resolve(page, file)
    if file and not file.endswith(".md"):
        if target_name.startswith(".."):
            return [Finding(shown, link.line, "LINK_OUTSIDE", f"link '{link.target}' leaves the docs folder")]
        if not (content.project.language_dir(language) / target_name).exists():
            return [Finding(shown, link.line, "LINK_MISSING", f"link to '{link.target}': no such file")]
        return []
    target = by_name.get(target_name)
    if target is None and (language, target_name) in content.unreadable:
        return []  # the page itself is reported; a second message about each link to it would only confuse
    if target is None:
        source = content.page(content.project.source_language.code, target_name)
        if source is None:
            return [
                Finding(
                    shown,
                    link.line,
                    "LINK_MISSING",
                    f"link to '{link.target}': no page '{target_name}' in the navigation",
                    hint="check the file name; chapter files are listed in mkdocs.yml under nav",
                )
            ]
        target = source
    if anchor and anchor not in target.anchors:
        known = ", ".join(sorted(target.anchors)) or "none"
        return [
            Finding(
                shown,
                link.line,
                "LINK_ANCHOR",
                f"link to '{link.target}': '{target_name}' has no heading with id '{anchor}'",
                hint=f"ids there: {known}",
            )
        ]
    return []


def _image(content: Content, page: Page, link: Link) -> list[Finding]:
    shown = content.project.display(page.path)
    findings = []
    if not link.text.strip():
        findings.append(
            Finding(
                shown,
                link.line,
                "IMAGE_ALT",
                f"image '{link.target}' has no alt text",
                hint="describe the picture for readers who cannot see it: "
                "![Floor plan of the centre](images/plan.svg)",
            )
        )
    name = resolve(page, link.target.split("#")[0])
    language_dir = content.project.language_dir(page.language)
    if name.startswith("..") or link.target.startswith("/"):
        findings.append(
            Finding(
                shown,
                link.line,
                "IMAGE_OUTSIDE",
                f"image '{link.target}' is outside the language folder",
                hint=f"put the picture in {content.project.display(language_dir / 'images')}",
            )
        )
    elif not (language_dir / name).is_file():
        findings.append(
            Finding(
                shown,
                link.line,
                "IMAGE_MISSING",
                f"image '{link.target}' does not exist",
                hint=f"add the file {content.project.display(language_dir / name)}",
            )
        )
    elif posixpath.splitext(name)[1].lower() not in IMAGE_SUFFIXES:
        findings.append(
            Finding(
                shown, link.line, "IMAGE_FORMAT", f"image '{link.target}' is not SVG, PNG, JPEG, GIF or WebP"
            )
        )
    return findings


def _nested_links(content: Content, page: Page) -> list[Finding]:
    """A link holding another link: a bare web address ran on into the text after it (the site's
    magic links take "www.europa.eu)." and the footnote after it for one address). Browsers and
    e-book readers refuse a link inside a link."""
    findings = []
    for outer in page.tree.iter("a"):
        inner = next(outer.iterdescendants("a"), None)
        if inner is None:
            continue
        address = outer.get("href", "")
        shown = " ".join(outer.text_content().split())
        written = (outer.text or "").strip() or address  # the address as the text shows it
        line = page.line_naming(written)
        findings.append(
            Finding(
                content.project.display(page.path),
                line,
                "LINK_NESTED",
                f"the link '{shown}' ({address}) holds another link",
                hint="write a web address in angle brackets, <https://www.europa.eu>, so it ends where "
                "you mean",
            )
        )
    return findings


def _malformed_addresses(content: Content, page: Page) -> list[Finding]:
    """A web address with no host a browser could reach (`https://../`, `http://.example`): the site
    would link nowhere, and EPUBCheck refuses the EPUB that carries it."""
    findings = []
    for link in page.links:
        if link.is_image or not re.match(r"https?://", link.target, re.IGNORECASE):
            continue
        try:
            host = urlsplit(link.target).hostname or ""
        except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
            host = ""
        labels = host.removesuffix(".").split(".")  # "example.com." (a full name) is valid
        if not host.strip(".") or not all(HOST_LABEL.fullmatch(label) for label in labels):
            findings.append(
                Finding(
                    content.project.display(page.path),
                    link.line,
                    "LINK_MALFORMED",
                    f"the web address '{link.target}' names no host a browser could reach",
                    hint="copy the address from the browser's address bar: https://www.example.lv/page",
                )
            )
    return findings


# One part of a host name: letters (of any script) or digits, hyphens only inside.
HOST_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
