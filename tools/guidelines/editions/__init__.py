"""Per-language editions of the whole guidelines: PDF (pandoc → Typst), DOCX and EPUB (pandoc)."""

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("pdf", "docx", "epub")
