"""What a long build tells the person waiting: the stage it is in, and how far through it.

`Progress` is silent; `Stages` passes each stage's message to a function (the
benchmark times them); `Bars` draws a tqdm bar per stage on a terminal and says
nothing when the output goes to a file or a CI log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO


class Progress:
    """Silent: the default for a build run from code."""

    def stage(self, message: str, total: int = 0) -> None:
        """A new stage begins; ``total`` steps when it is counted (0: not counted)."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more of the current stage are done."""

    def close(self) -> None:
        """The build is over, whichever way."""


class Stages(Progress):
    """Each stage's message to ``report``; steps are not counted."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report

    def stage(self, message: str, total: int = 0) -> None:
        self.report(message)


class Bars(Progress):
    """A progress bar per stage on ``stream``, if it is a terminal; otherwise silent."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.bar: Any = None  # a tqdm bar, while a stage runs

    def stage(self, message: str, total: int = 0) -> None:
        if not self.enabled:
            return
        self.close()
        from tqdm import tqdm  # only a terminal needs it

        # No monitor thread: a process running another thread does not fork, and a build
        # forks to take unchanged files over while it goes on (`edition.linkmemo`).
        tqdm.monitor_interval = 0
        self.bar = tqdm(total=total or None, desc=f"edition: {message}", file=self.stream,
                        leave=False, dynamic_ncols=True, unit="doc",
                        bar_format=None if total else "{desc} … {elapsed}")  # fmt: skip

    def advance(self, steps: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


SILENT = Progress()


def as_progress(progress: Progress | Callable[[str], None]) -> Progress:
    """A `Progress` from either one or a function taking each stage's message."""
    return progress if isinstance(progress, Progress) else Stages(progress)
