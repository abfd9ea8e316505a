"""Progress: a bar on a terminal, nothing in a log, and the stages a build goes through."""

from __future__ import annotations

import io
import threading
from pathlib import Path

from edition.pipeline import BuildOptions, build_edition
from edition.progress import Bars, Progress

from .conftest import SEEDS


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Recorder(Progress):
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def stage(self, message: str, total: int = 0) -> None:
        self.events.append((message, total))

    def advance(self, steps: int = 1) -> None:
        self.events.append(("advance", steps))


def test_bars_draw_on_a_terminal_and_say_nothing_in_a_log() -> None:
    for stream, drawn in ((Terminal(), True), (io.StringIO(), False)):
        bars = Bars(stream)
        bars.stage("converting 3 texts", 3)
        bars.advance(3)
        bars.close()
        assert ("converting 3 texts" in stream.getvalue()) is drawn


def test_bars_start_no_thread() -> None:
    bars = Bars(Terminal())
    bars.stage("rendering the site", 3)
    assert all(thread.name != "tqdm_monitor" for thread in threading.enumerate())
    bars.close()


def test_a_build_counts_every_document_in_each_counted_stage(tmp_path: Path) -> None:
    (tmp_path / "src" / "texts").mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        (tmp_path / "src" / "texts" / path.name).write_bytes(path.read_bytes())
    recorder = Recorder()
    build_edition(BuildOptions(tmp_path / "src", tmp_path / "out", validate=False), recorder)
    stages = [(m, t) for m, t in recorder.events if m != "advance"]
    assert stages == [
        ("converting 2 texts", 2),
        ("writing 2 TEI files", 0),
        ("rendering the site", 2),
        ("publishing", 0),
    ]
    steps = [t for m, t in recorder.events if m == "advance"]
    assert sum(steps) == 4  # two converted (or taken from the cache), two rendered
