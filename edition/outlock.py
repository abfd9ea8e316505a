"""One build at a time into an output folder: the next waits for it.

Two builds into the same ``OUT`` at once — `edition serve` rebuilding on a save while the
editor runs `edition build`, two terminals, a cron job — broke each other: a build starting
deletes the staging folders a killed build left (`edition.atomic.remove_stale`), and the
other build's live staging folder looked like one. Seen in session 12: thousands of "cannot
read" errors, and nothing published only because the deletion came before the other
build's checks; a little later, and it would have published a site with files missing.

So a build that writes ``OUT`` holds an exclusive lock on a file kept in the user's cache
for it (`fcntl.flock`, released by the system when the process ends, however it ends: a
killed build leaves no stale lock), from reading the sources to publishing. Where there is
no ``fcntl`` (Windows) or the cache cannot be written, builds are not kept apart, as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from edition.orphans import note_folder, store_file

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def lock_file(out: Path) -> Path:
    """The file whose lock stands for ``out``: in the cache, named as ``out``'s stores are, and
    forgotten with them once the folder is gone (`edition.orphans`)."""
    return store_file("outputs", out).with_suffix(".lock")


@contextlib.contextmanager
def building(out: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold ``out``'s build lock for the ``with`` block; if another build holds it, ``say``
    so, then wait for it."""
    path = lock_file(out)
    note_folder(path, out)
    try:
        handle = open(path, "a+b") if fcntl is not None else None  # noqa: SIM115 - closed below
    except OSError:
        handle = None  # a cache that cannot be written: nothing to lock on
    if handle is None:
        yield
        return
    with handle:  # closing it releases the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build into {out}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
