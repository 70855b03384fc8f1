"""Words the toolkit itself writes into the site and the editions, in each language it knows."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "edition": "Edition",
        "term": "Term",
        "definition": "Definition",
        "language.en": "English",
        "language.lv": "Latvian",
        "language.lt": "Lithuanian",
        "download": "Download",
        "format": "Format",
        "size": "Size",
        "language": "Language",
        "checksum": "SHA-256",
        "pdf": "PDF (to print and share)",
        "docx": "DOCX (to edit in Word)",
        "epub": "EPUB (for e-readers)",
        "not_built": "The editions appear here after guidelines build.",
        "chapter": "Chapter",
        "annex": "Annex",
        "page": "Page",
    },
    "lv": {
        "contents": "Saturs",
        "edition": "Izdevums",
        "term": "Termins",
        "definition": "Definīcija",
        "language.en": "Angliski",
        "language.lv": "Latviski",
        "language.lt": "Lietuviski",
        "download": "Lejupielādēt",
        "format": "Formāts",
        "size": "Izmērs",
        "language": "Valoda",
        "checksum": "SHA-256",
        "pdf": "PDF (drukāšanai un kopīgošanai)",
        "docx": "DOCX (rediģēšanai programmā Word)",
        "epub": "EPUB (e-grāmatu lasītājiem)",
        "not_built": "Izdevumi šeit parādās pēc komandas guidelines build.",
        "chapter": "Nodaļa",
        "annex": "Pielikums",
        "page": "Lappuse",
    },
    "lt": {
        "contents": "Turinys",
        "edition": "Leidimas",
        "term": "Terminas",
        "definition": "Apibrėžtis",
        "language.en": "Angliškai",
        "language.lv": "Latviškai",
        "language.lt": "Lietuviškai",
        "download": "Atsisiųsti",
        "format": "Formatas",
        "size": "Dydis",
        "language": "Kalba",
        "checksum": "SHA-256",
        "pdf": "PDF (spausdinti ir dalytis)",
        "docx": "DOCX (redaguoti programa Word)",
        "epub": "EPUB (el. skaityklėms)",
        "not_built": "Leidimai čia atsiranda po komandos guidelines build.",
        "chapter": "Skyrius",
        "annex": "Priedas",
        "page": "Puslapis",
    },
}


def label(language: str, key: str) -> str:
    """The label in the language, falling back to English for a language the toolkit does not know."""
    return LABELS.get(language, LABELS["en"]).get(key) or LABELS["en"][key]
