"""Two editorial measures of the real text, per language (issue #17):

1. "Not documented"-type phrases: sentences that tell the reader a source is silent. The goal is at most
   10 per language, the rest gathered in chapter 01's "Sources and limits".
2. Repeated sentences: sentences of 8+ words at least 80 % of whose word trigrams are found in one
   sentence of another chapter (the home page, download, change and status pages left out). The goal
   is at most 4 % per language.

The text is the site's own reading of each page (`Page.tree`): paragraphs, list items, table cells and
headings as readers see them, never the Markdown a second way.

    .venv/bin/python bench/editorial.py [--list phrases|repeats] [--language lv]
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict

from guidelines.content import load_content
from guidelines.project import load_project

# One pattern per language, for the same family of phrases ("not documented", "not stated", "the
# sources do not say", "not found", "not published", "were not researched").
PHRASES = {
    "en": r"not (?:publicly )?documented|public (?:sources|record)s? (?:do|does) not|no public source"
    r"|not found in|could not be found|not stated|(?:is|are|was|were) not given|not known|not researched"
    r"|not described|sources do not (?:say|describe|show|state|give|cover)|not (?:been )?published"
    r"|not public\b|not in the sources|not (?:shown|summarised|confirmed|covered|listed) (?:in|by)"
    r"|says? nothing about|no public report",
    "lv": r"nav dokumentēt|nav (?:skaidri )?norādīt|nav atrast|nav zinām|nav aprakstīt|nav minēt"
    r"|nav pētīt|avotos nav|nav publiskot|nav publicēt|nav apkopot|nav apstiprināt|nav aplūkot"
    r"|nav uzskaitīt|netika atrast",
    "lt": r"nedokumentuot|nenurodyt|nerast|nepavyko rasti|nežinom|neaprašyt|netirt|nepaminėt"
    r"|šaltiniuose nėra|nėra dokumentuot|neskelbt|nepaskelbt|nepatvirtint|neapibendrint|neaptar"
    r"|neužfiksuot|nėra duomenų|nieko nesako",
}
SKIPPED = {"index.md", "download.md", "changes.md", "translation-status.md"}
BLOCKS = "//p | //li[not(p)] | //td | //th | //h2 | //h3 | //h4"
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"„“(]?[A-ZĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲ0-9])")
WORD = re.compile(r"\w+")
MIN_WORDS = 8
SHARED = 0.8  # calibrated: 281 of 3,111 English sentences in the review of issue #17 (9.0 %)


def sentences(project, language: str, *, footnotes: bool = True) -> list[tuple[str, str]]:
    """(page name, sentence) for every sentence of the language's chapters and annexes."""
    content, _ = load_content(project)
    found = []
    for page in content.pages.get(language, []):
        if page.name in SKIPPED:
            continue
        for block in page.tree.xpath(BLOCKS):
            # Citing the same source in two chapters is not restating a fact: --without-footnotes
            # measures the running text alone.
            if not footnotes and block.xpath("ancestor::div[contains(@class, 'footnote')]"):
                continue
            text = " ".join(block.text_content().split())
            found += [(page.name, sentence) for sentence in SENTENCE_END.split(text) if sentence]
    return found


def trigrams(sentence: str) -> set[tuple[str, ...]]:
    words = WORD.findall(sentence.casefold())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def repeated(found: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(page, sentence, other page) for each long sentence that restates one of another chapter."""
    grams = [(name, sentence, trigrams(sentence)) for name, sentence in found]
    grams = [item for item in grams if len(WORD.findall(item[1])) >= MIN_WORDS]
    index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for number, (_, _, own) in enumerate(grams):
        for gram in own:
            index[gram].add(number)
    result = []
    for name, sentence, own in grams:
        shared: dict[int, int] = defaultdict(int)
        for gram in own:
            for other in index[gram]:
                if grams[other][0] != name:
                    shared[other] += 1
        best = max(shared, key=shared.get, default=None)
        if best is not None and shared[best] >= SHARED * len(own):
            result.append((name, sentence, grams[best][0]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", choices=("phrases", "repeats"))
    parser.add_argument("--language")
    parser.add_argument("--project", default=".")
    parser.add_argument("--without-footnotes", action="store_true", help="leave the footnotes out")
    arguments = parser.parse_args()
    project = load_project(arguments.project)
    codes = [arguments.language] if arguments.language else [language.code for language in project.languages]
    print("| Language | 'Not documented' phrases | Sentences (8+ words) | Repeated across chapters |")
    print("|---|---|---|---|")
    for code in codes:
        found = sentences(project, code, footnotes=not arguments.without_footnotes)
        phrases = [(name, s) for name, s in found if re.search(PHRASES[code], s, re.IGNORECASE)]
        count = sum(len(re.findall(PHRASES[code], s, re.IGNORECASE)) for _, s in phrases)
        long = [item for item in found if len(WORD.findall(item[1])) >= MIN_WORDS]
        repeats = repeated(found)
        share = 100 * len(repeats) / max(len(long), 1)
        print(f"| {code} | {count} | {len(long)} | {len(repeats)} ({share:.1f} %) |")
        if arguments.list == "phrases":
            for name, sentence in phrases:
                print(f"    {name}: {sentence}")
        if arguments.list == "repeats":
            for name, sentence, other in repeats:
                print(f"    {name} (also {other}): {sentence}")


if __name__ == "__main__":
    main()
