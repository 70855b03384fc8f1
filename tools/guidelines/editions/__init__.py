"""Per-language editions of the whole guidelines: PDF (pandoc → Typst), DOCX and EPUB (pandoc)."""

import re
from pathlib import Path

from guidelines.findings import ToolError

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("pdf", "docx", "epub")

# An absolute path of this machine (a temporary folder, the engine's installation) in an engine's
# message: the reader of the message knows neither, so only the file's name is kept.
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:[^\s/:'\"()]+/)+([^\s/:'\"()]+)")


class EditionFailure(ToolError):
    """An edition an engine could not make, with where in the edition it stopped as far as the
    engine said: the id of the chapter or section (`ch-02-premises--plan`) and an image's path.
    (Everything is kept in `args`, so the exception crosses from a worker process intact.)"""

    def __init__(self, message: str, label: str | None = None, image: str | None = None):
        super().__init__(message, label, image)

    @property
    def message(self) -> str:
        return self.args[0]

    @property
    def label(self) -> str | None:
        return self.args[1]

    @property
    def image(self) -> str | None:
        return self.args[2]

    def __str__(self) -> str:
        return self.message


def without_machine_paths(text: str, root: Path) -> str:
    """An engine's message as a person reads it: paths relative to the project, others by name."""
    text = text.replace(f"{root.resolve().as_posix()}/", "")
    return MACHINE_PATH.sub(lambda match: match.group(1), text)
