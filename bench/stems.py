"""Where the search stemmers miss and where they merge, on the word forms of tests/data (issue 20).

    .venv/bin/python bench/stems.py lt                     # scores, written and folded
    .venv/bin/python bench/stems.py lt --missed 30 --merges 30
    .venv/bin/python bench/stems.py lt --stemmers /tmp/other.js   # a variant, to compare

The scores are those of the corpora's `stem_eval.py` (and of tests/test_search.py): recall, the share
of pairs of forms of one lemma that get one stem; false merges, the share of stems that forms of more
than one lemma get. "Folded": every form typed without diacritics before it is stemmed.
--missed lists the missed pairs by part of speech, by ending pattern (what follows the two forms'
common beginning) and by lemma; --merges lists the stems that join lemmas, and counts the ending each
form lost to reach such a stem (the rule that made the merge: "ėjo" for the past -ėj-, "oma" for -om-).
Needs node, as the tests do. The corpus is for measuring only: nothing from it goes into the stemmer.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from guidelines.search import STEMMERS  # noqa: E402

DATA = ROOT / "tests" / "data"
NODE_SCRIPT = (
    "const s = require(process.argv[1]); const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
    "process.stdout.write(JSON.stringify(words.map(w => s[process.argv[2]](w))));"
)


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def stem_words(stemmers: Path, language: str, words: list[str]) -> dict[str, str]:
    result = subprocess.run(
        ["node", "-e", NODE_SCRIPT, str(stemmers), language],
        input=json.dumps(words),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(zip(words, json.loads(result.stdout), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("language", choices=["lv", "lt"])
    parser.add_argument("--stemmers", type=Path, default=STEMMERS, help="the stemmers' JavaScript file")
    parser.add_argument("--missed", type=int, default=0, metavar="N", help="N largest groups of missed pairs")
    parser.add_argument("--merges", type=int, default=0, metavar="N", help="N stems that join lemmas")
    args = parser.parse_args()

    lines = (DATA / f"{args.language}-forms.tsv").read_text(encoding="utf-8").splitlines()[1:]
    rows = [tuple(line.split("\t")[:3]) for line in lines]
    forms = sorted({form for form, _, _ in rows})
    stems = stem_words(args.stemmers.resolve(), args.language, sorted(set(forms) | {fold(f) for f in forms}))
    forms_of = collections.defaultdict(set)
    for form, lemma, pos in rows:
        forms_of[(lemma, pos)].add(form)

    def score(stem_of):
        pairs = [
            (key, a, b)
            for key, group in forms_of.items()
            for a, b in itertools.combinations(sorted(group), 2)
        ]
        missed = [(key, a, b) for key, a, b in pairs if stem_of(a) != stem_of(b)]
        lemmas_of_stem = collections.defaultdict(set)
        for form, lemma, pos in rows:
            lemmas_of_stem[stem_of(form)].add((lemma, pos))
        merged = {stem: lemmas for stem, lemmas in lemmas_of_stem.items() if len(lemmas) > 1}
        return 1 - len(missed) / len(pairs), len(merged), len(lemmas_of_stem), missed, merged

    for name, stem_of in [("written", stems.__getitem__), ("folded", lambda form: stems[fold(form)])]:
        recall, merged, total, _, _ = score(stem_of)
        share = f"{merged}/{total} = {merged / total:.2%}"
        print(f"{args.language} {name}: recall {recall:.4f}, false merges {share}")
    _, _, _, missed, merged = score(stems.__getitem__)

    if args.missed:
        print("\nmissed pairs by part of speech:", dict(collections.Counter(key[1] for key, _, _ in missed)))
        patterns = collections.Counter()
        for (_, pos), a, b in missed:
            common = next(
                (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
            )
            patterns[(pos, "-" + a[common:], "-" + b[common:])] += 1
        print("missed pairs by ending pattern (part of speech, the two forms after their common beginning):")
        for pattern, count in patterns.most_common(args.missed):
            print(f"  {count:4d}  {' '.join(pattern)}")
        print("missed pairs by lemma (form→stem):")
        for (lemma, pos), count in collections.Counter(key for key, _, _ in missed).most_common(args.missed):
            group = " ".join(f"{form}→{stems[form]}" for form in sorted(forms_of[(lemma, pos)]))
            print(f"  {count:4d}  {pos} {lemma}: {group}")

    if args.merges:
        tails = collections.Counter()
        for form, _, _ in rows:
            if stems[form] in merged:
                tails[fold(form)[len(fold(stems[form])) :] or "(none)"] += 1
        lost = ", ".join(f"-{tail} {count}" for tail, count in tails.most_common(25))
        print("\nendings lost by the forms of merged stems:", lost)
        for stem in sorted(merged)[: args.merges]:
            lemmas = ", ".join(f"{lemma}/{pos}" for lemma, pos in sorted(merged[stem]))
            members = " ".join(sorted({form for form, _, _ in rows if stems[form] == stem}))
            print(f"  {stem}: {lemmas} — {members}")


if __name__ == "__main__":
    main()
