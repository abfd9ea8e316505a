"""A build killed (SIGKILL) at random points leaves the previous output whole, and the next build succeeds.

`python -m edition build` runs in a child process on a FRUS-like edition big enough
to take a few seconds; it is killed at seeded random moments spread over a build's
duration (and near its end, where the output is swapped in). After each kill,
``tei/`` and ``site/`` are together either the previous build's, byte for byte, or
the new one's — never a mixture, never half-written — and the sources' anchors
lock is either the old file or the new one. Then a build runs to its end and gives
exactly what a build of the same sources elsewhere gives.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import published

BENCH = Path(__file__).parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from corpus import make_edition  # noqa: E402

DOCUMENTS = 40
KILLS = 5
SEED = 1936

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def build(sources: Path, out: Path, cache: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a build in its own process group (so a kill reaches its workers and Jing too),
    with its caches in ``cache``, or none."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    if cache is not None:
        env["EDITION_CACHE"] = str(cache)
    command = [sys.executable, "-m", "edition", "build", str(sources), "--out", str(out),
               *(["--no-cache"] if cache is None else []), "--jobs", "1"]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def edit(sources: Path) -> None:
    """A change that alters every kind of output: a text edited, one added, one removed, the title."""
    texts = sorted((sources / "texts").glob("*.txt"))
    with texts[0].open("a", encoding="utf-8") as text:
        text.write("\n\nA paragraph added by the editor, naming Yezhov.\n")
    shutil.copyfile(texts[1], sources / "texts" / "added.txt")
    texts[2].unlink()
    (sources / "edition.yaml").write_text(
        "edition:\n  title: Benchmark edition, second release\n  date: 2026-02-01\n",
        encoding="utf-8",
    )


def edit_a_paragraph(sources: Path) -> None:
    """A change a cached build mostly takes over: one text edited (its pages and its persons')."""
    with sorted((sources / "texts").glob("*.txt"))[5].open("a", encoding="utf-8") as text:
        text.write("\n\nA paragraph added by the editor, naming Yezhov.\n")


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cached"])
def test_a_killed_build_leaves_the_previous_output_whole(tmp_path: Path, cached: bool) -> None:
    """Cached, the builds move and link what they take over from the output kept before
    (`edition.atomic.keep_as_spare`); killed meanwhile, the next build must still be whole."""
    sources = make_edition(tmp_path / "src", DOCUMENTS, seed=SEED)
    out = tmp_path / "out"
    cache = tmp_path / "cache" if cached else None
    finish(build(sources, out, cache))
    started = time.monotonic()
    finish(build(sources, out, cache))  # so that there is a spare to take from
    rebuild = time.monotonic() - started
    previous = published(out)
    lock = sources / "anchors.lock"
    previous_lock = lock.read_bytes()

    (edit_a_paragraph if cached else edit)(sources)
    reference = tmp_path / "reference"  # the same sources built elsewhere: the new output
    shutil.copytree(sources, reference / "src")
    started = time.monotonic()
    finish(build(reference / "src", reference / "out"))
    # Kills spread over the build they interrupt: cached, about a rebuild that converts one text.
    duration = rebuild * 2.5 if cached else time.monotonic() - started
    expected = published(reference / "out")
    assert expected != previous

    rng = random.Random(SEED)
    moments = sorted(rng.uniform(0.1, 1.0) * duration for _ in range(KILLS - 1))
    moments.append(rng.uniform(0.9, 1.05) * duration)  # about when the output is swapped in
    states = []
    for moment in moments:
        process = build(sources, out, cache)
        time.sleep(moment)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        now = published(out)
        assert now in (previous, expected), f"killed at {moment:.2f} s: a mixed or partial output"
        assert lock.read_bytes() in (previous_lock, (reference / "src" / "anchors.lock").read_bytes())
        states.append("previous" if now == previous else "new")

    finish(build(sources, out, cache))
    assert published(out) == expected
    spares = [".site.spare", ".tei.spare"] if cached else []
    assert sorted(p.name for p in out.iterdir()) == [*spares, "site", "tei"]  # stale staging cleaned up
    assert "previous" in states, f"no kill landed before the swap: {states}"
