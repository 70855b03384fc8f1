"""Search in Latvian and Lithuanian: stemmers scored on real word forms, one index per language."""

from __future__ import annotations

import collections
import functools
import itertools
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from guidelines.search import STEMMERS

DATA = Path(__file__).parent / "data"


def stem_all(language: str, words: list[str]) -> list[str]:
    """Run the browser's stemmer (assets/search/stemmers.js) in node over many words at once."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make test`, which installs it")
    script = (
        "const s = require(process.argv[1]); const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(words.map(w => s[process.argv[2]](w))));"
    )
    result = subprocess.run(
        [node, "-e", script, str(STEMMERS), language],
        input=json.dumps(words),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@functools.cache
def score(language: str, *, folded: bool = False) -> tuple[float, float]:
    """(recall, false merges) as the corpora's scorer defines them; `folded`: every form typed
    without diacritics before it is stemmed (the scorer run with a function that folds, then stems)."""
    rows = [
        line.split("\t")
        for line in (DATA / f"{language}-forms.tsv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    forms = sorted({row[0] for row in rows})
    typed = [fold(form) for form in forms] if folded else forms
    stems = dict(zip(forms, stem_all(language, typed), strict=True))
    by_lemma = collections.defaultdict(set)
    for form, lemma, upos, _ in rows:
        by_lemma[(lemma, upos)].add(form)
    pairs = hits = 0
    for group in by_lemma.values():
        for a, b in itertools.combinations(sorted(group), 2):
            pairs += 1
            hits += stems[a] == stems[b]
    lemmas_of_stem = collections.defaultdict(set)
    for form, lemma, upos, _ in rows:
        lemmas_of_stem[stems[form]].add((lemma, upos))
    merged = sum(1 for lemmas in lemmas_of_stem.values() if len(lemmas) > 1)
    return hits / pairs, merged / len(lemmas_of_stem)


# The goal (issue 20): recall at least 0.70 (lv) and 0.78 (lt), with at most 8 % of stems shared by
# different lemmas. For comparison: prefix matching (what Material's search does) scores 0.54 / 20 % (lv)
# and 0.64 / 23 % (lt); Snowball's Lithuanian stemmer 0.74 / 12 %.
GOAL = {"lv": (0.70, 0.08), "lt": (0.78, 0.08)}


@pytest.mark.parametrize("language", ["lv", "lt"])
def test_stemmer_meets_the_goal_on_the_shared_corpora(language):
    recall, false_merges = score(language)
    min_recall, max_false_merges = GOAL[language]
    assert recall >= min_recall and false_merges <= max_false_merges, (recall, false_merges)


@pytest.mark.parametrize(("language", "max_loss"), [("lv", 0.06), ("lt", 0.01)])
def test_forms_typed_without_diacritics_conflate_almost_as_well(language, max_loss):
    """A phone reader types "planosanas" for "plānošanas": the corpora's forms with diacritics folded
    still meet one another's stems nearly as often as the written forms do."""
    written, _ = score(language)
    folded, _ = score(language, folded=True)
    assert folded >= written - max_loss, (written, folded)


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("lv", ["pakalpojums", "pakalpojumi", "pakalpojumu", "pakalpojumiem", "pakalpojumus"]),
        ("lv", ["ūdens", "udens"]),
        ("lv", ["pašvaldība", "pašvaldības", "pasvaldibam"]),
        ("lv", ["strādāt", "strādāja", "strādājot", "strādājuši", "nestrādāja"]),  # verb, participles, ne-
        ("lv", ["liels", "lielāks", "vislielākais", "lielākajiem"]),  # comparative -āk-, superlative vis-
        ("lv", ["plānošana", "plānošanas", "planosanas"]),
        ("lt", ["paslauga", "paslaugos", "paslaugų", "paslaugoms", "paslaugu"]),
        ("lt", ["savivaldybė", "savivaldybės", "savivaldybėje", "savivaldybe"]),
        ("lt", ["centras", "centro", "centrui", "centre", "centrų"]),
        ("lt", ["geras", "geresnis", "geriausias", "geresnių"]),  # comparative -esn-, superlative -iaus-
        ("lt", ["dirbti", "dirba", "dirbo", "dirbs", "dirbdamas"]),  # verb: present, past, future, -dam-
        ("lt", ["dirbantis", "dirbančios", "dirba"]),  # the participle "-antis" is no reflexive "-tis"
        ("lt", ["turėti", "turi", "turime", "turės", "turinčios"]),
        ("lt", ["turėjo", "turėjau", "turėjusi", "turėkite", "turint", "turintis"]),  # past -ėj-, -k-
        ("lt", ["laikyti", "laiko", "laikoma", "laikomos"]),  # passive participle -om-
        ("lt", ["naujas", "naujoji", "naujuoju", "naujaisiais", "naujiems"]),  # definite adjective
        ("lt", ["patyrė", "patyrusi", "patyręs", "patyrusios"]),  # the participle "-usi": no future "-si"
        ("lt", ["gauti", "gauna", "gavo", "gavęs"]),  # irregular: three stems
        ("lt", ["perduoti", "perduoda", "perdavė"]),
        ("lt", ["būti", "yra", "esame", "buvo", "nėra", "bus", "būtų", "esantis"]),  # irregular "to be"
        ("lt", ["pandusams", "pandusas", "pandusą"]),
    ],
)
def test_inflected_and_unaccented_forms_meet_at_one_stem(language, forms):
    """One stem up to diacritics, which the search box matches letter by letter (see below)."""
    stems = stem_all(language, forms)
    assert len({fold(stem) for stem in stems}) == 1, dict(zip(forms, stems, strict=True))


@pytest.mark.parametrize(
    ("language", "written", "typed"),
    [("lv", "ūdens", "udens"), ("lv", "sniedzējiem", "sniedzejiem"), ("lt", "žmonėms", "zmonems")],
)
def test_indexed_stems_keep_their_diacritics_and_unaccented_queries_fold_onto_them(language, written, typed):
    """The index keeps "ūden"; the search box matches "uden" letter by letter against it (a letter
    typed without a diacritic stands for the letter with one), so only the stem needs to agree."""
    indexed, query = stem_all(language, [written, typed])
    assert indexed != fold(indexed)
    assert fold(indexed) == query


@pytest.mark.parametrize(
    ("language", "name", "word"),
    [("lt", "Pandėlys", "pandusams"), ("lv", "Rūjiena", "rūpes")],
)
def test_a_name_and_a_word_that_share_their_first_letters_get_different_stems(language, name, word):
    """The search matches whole stems (tests/browser: the wildcard case), so these stay apart."""
    name_stem, word_stem = stem_all(language, [name.lower(), word])
    assert name_stem != word_stem, (name_stem, word_stem)


@pytest.mark.parametrize(("noun", "verb"), [("tiekėjas", "tiekti"), ("rinkėjai", "rinkti")])
def test_a_lithuanian_agent_noun_keeps_its_ej_apart_from_its_verb(noun, verb):
    """A past verb loses its "-ėj-" ("turėjo" → "tur"), an agent noun keeps it ("tiekėjas", supplier)."""
    noun_stem, verb_stem = stem_all("lt", [noun, verb])
    assert noun_stem != verb_stem, (noun_stem, verb_stem)


def test_each_language_gets_its_own_index(built_fixture):
    site = built_fixture / "site"
    for language, prefix in {"en": "", "lv": "lv/", "lt": "lt/"}.items():
        index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [{"en": "english"}.get(language, language)]
        # locations are relative to the site root, Material's base in every language
        locations = [doc["location"] for doc in index["docs"]]
        assert prefix + "01-first-steps/" in locations
        others = [p for p in ("lv/", "lt/") if p != prefix]
        assert all(location.startswith(prefix) for location in locations)
        assert not any(location.startswith(tuple(others)) for location in locations)
        titles = " ".join(doc["title"] for doc in index["docs"])
        assert {"en": "First steps", "lv": "Pirmie soļi", "lt": "Pirmųjų žingsnių planas"}[language] in titles
    for module in ("lv", "lt", "english"):
        assert (site / "assets/javascripts/lunr/min" / f"lunr.{module}.min.js").is_file()
