"""Replace an output folder in one step, so readers never see a half-written one.

A build writes into a fresh staging folder beside the target and then swaps it
in. On Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically;
elsewhere two renames leave a moment with no target, which `recover` repairs
after a crash (the previous output is kept under a ``.previous`` name until the
new one is in place).

The previous output need not be deleted at all: kept as the target's *spare*
(`keep_as_spare`), the next build moves what it still holds unchanged into its
staging folder (`edition.linkmemo`) — one rename for a folder of files, where
linking them from the published output took a link each, and deleting the old
output an unlink each. What the spare still holds after that is deleted. A process
that builds again (``edition serve``) leaves that deletion to a thread
(`delete_in_background`); the next staging waits for it, so deletions never overlap
a build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100

_deleting: list[threading.Thread] = []  # background deletions not yet waited for


def staging_dir(target: Path) -> Path:
    """A new empty folder beside ``target`` (same file system, so renames are atomic)."""
    wait_for_deletions()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))


def replace_dir(staged: Path, target: Path) -> None:
    """Put ``staged`` at ``target``; the old ``target`` is deleted once the new one is in place."""
    replace_dirs([(staged, target)])


def replace_dirs(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Put each staged folder at its target, all swaps first and only then the deletions.

    Folders published together (``tei/`` and ``site/``) are swapped back to back, so a
    build killed in between the swaps is a matter of microseconds, not of deleting the
    previous output's thousands of files.
    """
    delete_now([old for old, _ in swap_dirs(pairs)])


def swap_dirs(pairs: Sequence[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    """Put each staged folder at its target; return the folders now holding the previous
    output, each with its target, for the caller to keep (`keep_as_spare`) or delete
    (`delete_in_background`); left alone, the next staging deletes them."""
    old = []
    for staged, target in pairs:
        recover(target)
        if not target.exists():
            os.rename(staged, target)
        elif _exchange(staged, target):
            old.append((staged, target))  # now holds the previous output
        else:
            previous = target.with_name(f".{target.name}.previous")
            os.rename(target, previous)
            os.rename(staged, target)
            old.append((previous, target))
    return old


def spare_dir(target: Path) -> Path:
    """Where the output published before ``target``'s is kept (`keep_as_spare`)."""
    return target.with_name(f".{target.name}.spare")


def keep_as_spare(pairs: Sequence[tuple[Path, Path]]) -> list[Path]:
    """Make each ``old`` folder (an output `swap_dirs` swapped out) the spare of its
    ``target``; return the spares they replace, for the caller to delete.

    Renames only: a build killed in between leaves a folder the next staging deletes
    (`remove_stale`), and at worst a build without a spare, which links instead.
    """
    spent = []
    for old, target in pairs:
        spare = spare_dir(target)
        if spare.exists():
            # A staging name, so that a build killed before its deletion leaves it to the next.
            stale = target.with_name(f".{target.name}.new-spent-{os.getpid()}-{time.monotonic_ns()}")
            os.rename(spare, stale)
            spent.append(stale)
        os.rename(old, spare)
    return spent


def delete_in_background(folders: Sequence[Path]) -> None:
    """Delete ``folders`` in a thread; the next staging waits for it (`wait_for_deletions`),
    and a process ended meanwhile leaves them to the next staging."""
    deleting = threading.Thread(target=delete_now, args=(folders,), name="delete previous output", daemon=True)
    deleting.start()
    _deleting.append(deleting)


def wait_for_deletions() -> None:
    """Return once the previous outputs given to background threads are deleted."""
    while _deleting:
        _deleting.pop().join()


def delete_now(folders: Sequence[Path]) -> None:
    """Delete ``folders``; what cannot be deleted is left to the next staging."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)  # a stale folder: the next staging tries again


def recover(target: Path) -> None:
    """After a crash between the two renames, put the previous output back."""
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists():
        if target.exists():
            shutil.rmtree(previous)
        else:
            os.rename(previous, target)


def remove_stale(target: Path) -> None:
    """Delete staging folders a killed build left beside ``target`` (call before staging anew)."""
    recover(target)
    for stale in sorted(target.parent.glob(f".{target.name}.new-*")):
        shutil.rmtree(stale, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(result == 0)
