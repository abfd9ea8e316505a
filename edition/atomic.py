"""Replace an output folder in one step, so readers never see a half-written one.

A build writes into a fresh staging folder beside the target and then swaps it
in. On Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically;
elsewhere two renames leave a moment with no target, which `recover` repairs
after a crash (the previous output is kept under a ``.previous`` name until the
new one is in place).

A process that builds again (``edition serve``) may leave the previous output's
deletion to a thread (`delete_in_background`): half a second of every 10,000-document
rebuild. The next staging waits for it, so deletions never overlap a build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
import threading
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
    delete_now(swap_dirs(pairs))


def swap_dirs(pairs: Sequence[tuple[Path, Path]]) -> list[Path]:
    """Put each staged folder at its target; return the folders now holding the previous
    output, for the caller to delete (`delete_in_background`); left alone, the next
    staging deletes them."""
    old = []
    for staged, target in pairs:
        recover(target)
        if not target.exists():
            os.rename(staged, target)
        elif _exchange(staged, target):
            old.append(staged)  # now holds the previous output
        else:
            previous = target.with_name(f".{target.name}.previous")
            os.rename(target, previous)
            os.rename(staged, target)
            old.append(previous)
    return old


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
