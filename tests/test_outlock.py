"""One build at a time into an output folder (`edition.outlock`): the next waits, then builds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from edition.outlock import lock_file
from edition.pipeline import BuildOptions, build_edition

from .conftest import build_lock_held, published


def options(sources: Path, out: Path) -> BuildOptions:
    return BuildOptions(sources, out, validate=False, search=False)


def test_a_build_waits_for_another_writing_the_same_output(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    said: list[str] = []
    with build_lock_held(out):
        build = threading.Thread(target=build_edition, args=(options(sources, out), said.append))
        build.start()
        time.sleep(1.5)
        assert build.is_alive() and not (out / "site").exists()  # waiting, nothing staged
        assert said == [f"waiting for another build into {out}"]
    build.join(timeout=60)
    assert not build.is_alive()
    assert said[1].startswith("converting") and (out / "site" / "index.html").is_file()


def test_the_lock_of_a_build_killed_is_no_longer_held(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    lock = lock_file(out)
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time; f = open(sys.argv[1], 'a+b'); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('held', flush=True); time.sleep(120)"), str(lock)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout is not None
    with holder.stdout:
        assert holder.stdout.readline() == "held\n"
        holder.kill()
        holder.wait()
    said: list[str] = []
    build_edition(options(sources, out), said.append)
    assert not any(line.startswith("waiting") for line in said)


def test_two_builds_at_once_into_one_output_both_succeed(sources: Path, tmp_path: Path) -> None:
    """As `edition serve` rebuilding on a save while the editor runs `edition build`: each
    staged folder was deleted by the other build starting (`edition.atomic.remove_stale`)."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "edition", "build", str(sources), "--out", str(out), "--no-validate",
               "--no-search", "--jobs", "1"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env) for _ in range(3)]
    for run in runs:
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, output.decode()
    build_edition(options(sources, tmp_path / "alone"))
    assert published(out) == published(tmp_path / "alone")
