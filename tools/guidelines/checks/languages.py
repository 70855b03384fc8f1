"""Language of parts: a term of another language's glossary column, quoted in a page, is marked as
written in that language (`*dienas aprūpes centrs*{lang=lv}`), so that a screen reader reads it with
that language's voice and the editions tag it (WCAG 2.1, 3.1.2 Language of Parts). Where a page
quotes one unmarked, a warning names it; the reading is the page's rendering, where a marked part
carries its `lang`."""

from __future__ import annotations

import re

from guidelines.content import Content, Page
from guidelines.findings import Finding, Severity
from guidelines.glossary import Term, load_glossary


def check(content: Content) -> list[Finding]:
    project = content.project
    codes = [language.code for language in project.languages]
    if not project.glossary_path.is_file():
        return []
    terms = load_glossary(project.glossary_path, project.display(project.glossary_path), codes)
    findings = []
    for language, pages in content.pages.items():
        for page in pages:
            if page.language == language:  # a fallback page is checked in its own language
                findings += _unmarked(content, page, terms)
    return findings


def _unmarked(content: Content, page: Page, terms: list[Term]) -> list[Finding]:
    text = " ".join(page.tree.text_content().split())
    for part in page.parts_in_other_languages:
        text = text.replace(part.text, " ", 1)
    own = {term.forms.get(page.language, "").casefold() for term in terms}
    findings = []
    for term in terms:
        for language, form in term.forms.items():
            if language == page.language or not form or form.casefold() in own or not _is_one_form(form):
                continue
            found = re.findall(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE)
            if count := len(found):
                times = "once" if count == 1 else f"{count} times"
                findings.append(
                    Finding(
                        content.project.display(page.path),
                        page.line_naming(*dict.fromkeys(found)),
                        "LANGUAGE_UNMARKED",
                        f"the {language} term “{form}” appears {times} without its language",
                        Severity.WARNING,
                        hint=f"write it as *{form}*{{lang={language}}}, so screen readers and the "
                        "editions read it as that language",
                    )
                )
    return findings


def _is_one_form(form: str) -> bool:
    """A glossary form that is one term, not alternatives ("a / b"), a note ("(LV)") or "—"."""
    return re.search(r"[(;/—]", form) is None and len(form) > 3
