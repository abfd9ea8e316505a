"""One Jing kept running through a build, and between the builds of one process.

A check against tei_all started a Java process that loads the schema before it reads a
file: ~0.3 s, started once the TEI files were written and so beside the render, competing
for the cores; in a rebuild of a FRUS volume's size (1,000 documents) it was the longest
single wait. A build that converts now starts one Jing before it does (`warm_up`:
`JingServer.java`, beside this module), which loads tei_all while the texts convert, then
checks the files handed to it and writes Jing's own report, read as a one-off run's is
(`edition.validate`). A process that builds again and again (`edition serve`) starts it
with its first build, whatever that converts, and keeps it: each rebuild's files are checked
with no JVM to start and no schema to load.

The server is compiled once per machine (and per version of its source and compiler) into
the user's cache with ``javac``, as any JDK has. Where it cannot be had — a bare JRE, a
server that dies or says something unexpected — the build runs a one-off Jing as before:
the server can cost time, never a result. It ends with the process (its input closes).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from edition.schema import cache_dir

SOURCE = Path(__file__).with_name("JingServer.java")
COMPILE_SECONDS = 120
READY = "ready"  # what the server says once the schema is loaded
# What it says of a batch: Jing's exit code for those files.
EXIT_CODES = {"valid": 0, "invalid": 1}
TRIES = 2  # servers started in one process before it gives up on them

_kept: JingServer | None = None
_command: tuple[str, ...] = ()  # how the server is started; () when none is kept
_failures = 0


def keep_warm(java: Sequence[str] = (), javac: str | None = None, jar: str = "", schema: Path | None = None) -> None:
    """Keep a Jing for this process's checks (``java``: the command and its options), started
    by `warm_up` or the first check; with no ``java``, or where the server cannot be compiled,
    keep none."""
    global _command
    classes = compiled(javac, jar) if java and javac and jar and schema is not None else None
    if classes is None:
        _command = ()
        stop()
        return
    _command = (*java, "-cp", f"{jar}{os.pathsep}{classes}", "JingServer", str(schema))
    if _kept is not None and not _kept.alive(_command):
        stop()


def warm_up() -> None:
    """Start the kept Jing now, if there is one to keep and it is not running: a build that
    is about to convert calls this, so that tei_all loads meanwhile (a build that converts
    nothing has most likely nothing to check, and starts none)."""
    if _command and _failures < TRIES and (_kept is None or not _kept.alive(_command)):
        _start()


def compiled(javac: str, jar: str) -> Path | None:
    """The folder of ``JingServer.class``, compiled from `SOURCE` once per source and compiler
    into the user's cache (~1 s); None if it cannot be."""
    try:
        source = SOURCE.read_bytes()  # gone from a broken install: a one-off Jing, then
    except OSError:
        return None
    key = hashlib.sha256(b"\0".join([source, os.path.realpath(javac).encode(), jar.encode()]))
    folder = cache_dir() / "jing-server" / key.hexdigest()[:16]
    if (folder / "JingServer.class").is_file():
        return folder
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        making = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
    except OSError:
        return None
    # For the compiler's own Java, as the java beside it runs (another Java's refusal: a one-off Jing).
    command = [javac, "-cp", jar, "-d", str(making), str(SOURCE)]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        if subprocess.run(command, capture_output=True, timeout=COMPILE_SECONDS).returncode == 0:
            making.rename(folder)  # whole or not at all; another build's, if it was first, is as good
    shutil.rmtree(making, ignore_errors=True)
    return folder if (folder / "JingServer.class").is_file() else None


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


def kept_pid() -> int | None:
    """The process id of the Jing kept running, if one is (a benchmark measures its memory)."""
    return _kept.process.pid if _kept is not None and _kept.process.poll() is None else None


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

    def __init__(self, command: tuple[str, ...]) -> None:
        self.started_with = command
        self.ready = False
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
