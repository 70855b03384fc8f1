"""The HTML and Markdown the toolkit's plugin adds to the site's pages, built from plain data: the
downloads and forms panels, the translation boxes, the translation status table, the earlier editions,
the banner of an older version and the 404 page's text, each in the reader's language."""

from __future__ import annotations

import html

from mkdocs.utils import get_relative_url

from guidelines.editions import FORMATS
from guidelines.labels import label
from guidelines.project import language_prefix


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


def _reader_first(language: str, languages: list[str]) -> dict[str, int]:
    return {code: index for index, code in enumerate([language, *[c for c in languages if c != language]])}


def downloads_panel(files, language: str, languages: list[str], page_url: str) -> str:
    """An HTML table of the editions, the reader's language first. Raw HTML, so MkDocs does not treat
    the files (which are not in docs/) as broken links."""
    if not files:
        return f"<p>{html.escape(label(language, 'not_built'))}</p>"
    order = _reader_first(language, languages)
    editions = [file for file in files if not file.form]
    rows = []
    for edition in sorted(editions, key=lambda f: (order.get(f.language, 99), FORMATS.index(f.format))):
        href = get_relative_url(f"downloads/{edition.file}", page_url)
        language_name = label(language, f"language.{edition.language}")
        rows.append(
            f'<tr><td><a href="{html.escape(href)}" hreflang="{edition.language}" download>'
            f"{html.escape(label(language, edition.format))}</a></td>"
            f"<td>{html.escape(language_name)}</td><td>{_size(edition.size)}</td>"
            f"<td><code>{edition.sha256}</code></td></tr>"
        )
    head = "".join(
        f"<th>{html.escape(label(language, key))}</th>" for key in ("format", "language", "size", "checksum")
    )
    return f'<table class="downloads"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _form_link(file, page_url: str) -> str:
    href = get_relative_url(f"downloads/{file.file}", page_url)
    return (
        f'<a href="{html.escape(href)}" hreflang="{file.language}" download>{file.format.upper()}</a>'
        f" ({_size(file.size)})"
    )


def forms_panel(files, language: str, languages: list[str], page_url: str) -> str:
    """The forms published on their own (`[[forms]]`, on the download page under the editions), one
    table per language (the reader's first), each form's title with its DOCX and PDF."""
    forms = [file for file in files if file.form]
    if not forms:
        return ""
    order = _reader_first(language, languages)
    parts = [f'\n<p class="forms-title"><strong>{html.escape(label(language, "forms"))}</strong></p>']
    for code in sorted({file.language for file in forms}, key=lambda c: order.get(c, 99)):
        rows = []
        mine = [file for file in forms if file.language == code]
        for name in dict.fromkeys(file.form for file in mine):  # in the order of the edition
            files = {file.format: file for file in mine if file.form == name}
            links = [_form_link(files[fmt], page_url) for fmt in ("docx", "pdf") if fmt in files]
            title = next(iter(files.values())).title
            rows.append(f'<tr><td lang="{code}">{html.escape(title)}</td><td>{" · ".join(links)}</td></tr>')
        head = "".join(f"<th>{html.escape(label(language, key))}</th>" for key in ("form", "download"))
        caption = html.escape(label(language, f"language.{code}"))
        parts.append(
            f'<table class="downloads forms"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    sums = html.escape(get_relative_url("downloads/SHA256SUMS", page_url))
    sums_text = html.escape(label(language, "forms.sums"))
    parts.append(f'<p class="forms-title"><a href="{sums}">{sums_text}</a></p>')
    return "\n".join(parts)


def form_panel(files, language: str, page_name: str, page_url: str) -> str:
    """On a form's own page: its DOCX and PDF in the reader's language, with their sizes."""
    mine = {file.format: file for file in files if file.form == page_name and file.language == language}
    if not mine:
        return ""
    links = " · ".join(_form_link(mine[fmt], page_url) for fmt in ("docx", "pdf") if fmt in mine)
    title = html.escape(label(language, "form.download"))
    return f'<div class="form-downloads"><p>{title}: {links}</p></div>\n\n'


def translation_box(language: str, kind: str, values: dict, more: str = "") -> str:
    """A warning box (Markdown, an admonition) at the top of a translated page: `outdated` (its source
    moved on) or `untranslated` (the page falls back to the source language)."""
    title = label(language, f"{kind}.title")
    text = label(language, f"{kind}.text").format(**values)
    body = f"    {text}\n\n" + (f"    {more}\n\n" if more else "")
    return f'!!! warning "{title}"\n\n{body}'


def status_table(language: str, others: list[str], rows: list[tuple[str, list[str]]]) -> str:
    """The translation status page's table (Markdown): each chapter's title and, per other language,
    the name of its state (`state.<name>` in the labels)."""
    header = [label(language, "chapter"), *(label(language, f"language.{code}") for code in others)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for title, states in rows:
        # A title is text: shown as written, and no cell border however it is written.
        cells = [html.escape(title).replace("|", "\\|")]
        cells += [label(language, f"state.{state}") for state in states]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def earlier_editions(language: str, editions: list[tuple[str, str, str]]) -> str:
    """On a published version: the released editions before it, each (address, number, date)."""
    if not editions:
        return ""
    links = [f'<a href="{href}">{version}</a> ({date})' for href, version, date in editions]
    title = html.escape(label(language, "earlier"))
    return f'\n<p class="earlier-editions">{title}: {", ".join(links)}</p>\n'


def outdated_banner(language: str, published_as: str, key: str, latest_href: str) -> str:
    """What Material shows on a published version other than the current one (its `outdated` block):
    which edition this is, and a link to the same language's current edition."""
    text = label(language, key).format(version=published_as)
    link = html.escape(label(language, "version.latest"))
    return f'{html.escape(text)} <a href="{html.escape(latest_href)}">{link}</a>'


def preview_banner(language: str, number: str) -> str:
    """The banner of a pull request's preview."""
    return html.escape(label(language, "preview").format(number=number))


def not_found_body(language: str, source: str, base: str) -> str:
    """Material's 404 page says "404 - Not found" in English whatever the language; say it in the reader's."""
    home = language_prefix(language, source)
    return (
        f"<h1>{html.escape(label(language, 'not_found.title'))}</h1>"
        f"<p>{html.escape(label(language, 'not_found.text'))}</p>"
        # 404 pages are served at any depth, so MkDocs renders them with the site's absolute base URL.
        f'<p><a href="{html.escape(base)}{home}">{html.escape(label(language, "not_found.home"))}</a></p>'
    )
