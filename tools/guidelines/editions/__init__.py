"""Per-language editions of the whole guidelines: PDF (pandoc → Typst) and DOCX (pandoc)."""

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("pdf", "docx")
