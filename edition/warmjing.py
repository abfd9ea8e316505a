"""Jing kept running between the builds of one process: `edition serve` rebuilds on every save.

A check against tei_all starts a Java process that loads the schema before it reads a
file: ~0.3 s, most of a one-document rebuild's wait on a FRUS volume's size (0.26–0.38 s
of 0.43–0.65 s in `edition serve`). A process that builds again and again (`keep_warm`)
keeps one Jing instead (`JingServer.java`, beside this module, run from source: Java 11 or
later with its compiler, as any JDK has), loads tei_all once and hands it each build's
files. Its report is Jing's own, read as a one-off run's is (`edition.validate`).

Where it cannot be had — a Java without a compiler (a bare JRE), a server that dies or
says something unexpected — the build starts a one-off Jing as ever: the server can cost
time, never a result. It is stopped with this process (its input closes).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

SOURCE = Path(__file__).with_name("JingServer.java")
READY = "ready"  # what the server says once the schema is loaded
# What it says of a batch: Jing's exit code for those files.
EXIT_CODES = {"valid": 0, "invalid": 1}
TRIES = 2  # servers started in one process before it gives up on them (no compiler, say)

_kept: JingServer | None = None
_command: tuple[str, ...] = ()  # how to start Jing (java and its options, the jar, the schema); () when not kept
_failures = 0


def keep_warm(java: Sequence[str] = (), jar: str = "", schema: Path | None = None) -> None:
    """Keep a Jing running for this process's checks (``java``: the command and its options),
    started now, so that it loads tei_all while the build converts; with no ``java``, keep none."""
    global _command
    _command = (*java, jar, str(schema)) if java and jar and schema is not None else ()
    if not _command:
        stop()
    elif _failures < TRIES and (_kept is None or not _kept.alive(_command)):
        _start()


def warm_check(paths: Sequence[Path]) -> Batch | None:
    """The check of ``paths`` started on the kept Jing, or None if there is none to be had (none
    kept, or it failed): the caller runs Jing once instead."""
    if not _command or _failures >= TRIES or any("\n" in str(p) or "\r" in str(p) for p in paths):
        return None
    if _kept is None or not _kept.alive(_command):
        _start()
    assert _kept is not None
    batch = _kept.check(paths)
    if batch is None:
        _failed()
    return batch


def _start() -> None:
    global _kept
    stop()
    _kept = JingServer(_command)


def _failed() -> None:
    global _failures
    _failures += 1
    stop()


def stop() -> None:
    global _kept
    if _kept is not None:
        _kept.stop()
        _kept = None


class JingServer:
    """``JingServer.java`` running: tei_all loaded once, a batch of files checked at a time."""

    def __init__(self, started_with: tuple[str, ...]) -> None:
        self.started_with = started_with
        self.ready = False
        *java, jar, schema = started_with
        command = [*java, "-cp", jar, str(SOURCE), schema]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, encoding="utf-8")  # fmt: skip

    def alive(self, started_with: tuple[str, ...]) -> bool:
        return self.process.poll() is None and self.started_with == started_with

    def check(self, paths: Sequence[Path]) -> Batch | None:
        """Hand ``paths`` over; None if the server cannot take them (it has ended)."""
        assert self.process.stdin is not None
        # Written even before the server is ready: it reads the line once it is, while the
        # build renders the site (`Batch.result` reads that it was).
        listed = _temporary(".list")
        # Resolved: Jing names each file so in its report, as a one-off run names one given so.
        listed.write("".join(f"{p.resolve()}\n" for p in paths).encode())
        listed.close()
        report = _temporary(".report")
        try:
            self.process.stdin.write(f"{listed.name}\t{report.name}\n")
            self.process.stdin.flush()
        except OSError:
            _remove(listed.name, report)
            return None
        return Batch(self, listed.name, report)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Batch:
    """One batch under way on the server; `result` waits for it."""

    def __init__(self, server: JingServer, listed: str, report: IO[bytes]) -> None:
        self.server, self.listed, self.report = server, listed, report

    def result(self) -> tuple[str, int] | None:
        """Jing's report on the batch and its exit code, or None if the server ended first."""
        server = self.server
        assert server.process.stdout is not None
        if not server.ready:
            server.ready = server.process.stdout.readline().strip() == READY
        said = server.process.stdout.readline().strip() if server.ready else ""
        try:
            if said not in EXIT_CODES:
                _failed()
                return None
            self.report.seek(0)
            return self.report.read().decode("utf-8", "replace"), EXIT_CODES[said]
        finally:
            _remove(self.listed, self.report)

    def cancel(self) -> None:
        """Stop the batch: the server with it (the next check starts another)."""
        stop()
        _remove(self.listed, self.report)


def _temporary(suffix: str) -> IO[bytes]:
    return tempfile.NamedTemporaryFile(prefix="edition-jing-", suffix=suffix, delete=False)


def _remove(listed: str, report: IO[bytes]) -> None:
    report.close()
    for name in (listed, report.name):
        with contextlib.suppress(OSError):
            os.unlink(name)
