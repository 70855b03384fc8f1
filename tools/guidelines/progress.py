"""Progress of steps that take seconds: shown on a terminal, silent otherwise or with --quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Progress:
    enabled: bool = False
    colour: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        interactive = sys.stderr.isatty()
        return cls(enabled=interactive and not quiet, colour=interactive)

    def _print(self, text: str) -> None:
        if self.enabled:
            print(text, file=sys.stderr, flush=True)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Time a step; on a terminal, say when it starts and how long it took."""
        self._print(f"  … {label}")
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings[label] = seconds
        tick = "\033[32m✓\033[0m" if self.colour else "✓"
        self._print(f"  {tick} {label} ({seconds:.1f} s)")
