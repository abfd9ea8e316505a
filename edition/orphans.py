"""Forget what the user's cache keeps for folders that are gone.

The caches are kept per folder and named by a hash of its path: the conversions per
sources folder (`edition.cache`), the memos per output folder (`edition.pipeline`). A
folder deleted or moved left its caches behind for good — the conversions of 10,000
documents are 200 MB, and every test run left dozens of memos. So each store notes the
folder it serves in a file beside it (``<name>.for``), rewritten by every build that
opens it, and at most once a day a build deletes the stores whose folder is gone and
whose note no build has touched for a week (a first build notes its output folder before
making it; a folder on a disk unplugged for a day is not gone). It also deletes the markers
of files found valid (``valid/``) that no build has found for a month.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path

from edition.schema import cache_dir

KINDS = ("convert", "pages", "outputs", "rules", "anchors", "settings")  # the cache's folders of stores kept per folder
IDLE_SECONDS = 7 * 24 * 3600  # a note untouched this long, of a folder gone: its stores go
# The markers of files found valid (``valid/``, `edition.validate`): a build renews the time of
# each it finds at most once a day; one no build has found for a month is deleted.
MARKER_RENEWED_SECONDS = 24 * 3600
MARKER_IDLE_SECONDS = 30 * 24 * 3600
EVERY_SECONDS = 24 * 3600  # how seldom the cache is looked through
NOTE = ".for"
LAST_LOOK = ".pruned"  # in the cache folder: its time is when it was last looked through


def store_file(kind: str, folder: Path) -> Path:
    """The store of ``kind`` (one of `KINDS`) that serves ``folder``: named by a hash of its path."""
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / kind / f"{name}.sqlite"


def note_folder(store: Path, folder: Path) -> None:
    """Note beside ``store`` (``<name>.sqlite`` in the cache) that it serves ``folder``; never fails."""
    with contextlib.suppress(OSError):  # a read-only cache: nothing is pruned, nothing lost
        store.parent.mkdir(parents=True, exist_ok=True)
        store.with_suffix(NOTE).write_text(str(folder.resolve()), encoding="utf-8")


def prune_gone(now: float | None = None) -> list[Path]:
    """Delete the stores of folders that are gone, at most once every `EVERY_SECONDS`;
    the files deleted. Never fails: a file it cannot delete stays for the next time."""
    root = cache_dir()
    now = time.time() if now is None else now
    last = root / LAST_LOOK
    try:
        if now - last.stat().st_mtime < EVERY_SECONDS:
            return []
    except FileNotFoundError:
        pass
    except OSError:
        return []
    deleted: list[Path] = []
    for kind in KINDS:
        folder = root / kind
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for note in names:
            if note.endswith(NOTE) and _gone(folder / note, now):
                deleted += _delete_store(folder, note[: -len(NOTE)], names)
    deleted += _stale_markers(root / "valid", now)
    with contextlib.suppress(OSError):
        root.mkdir(parents=True, exist_ok=True)
        last.touch()
        os.utime(last, (now, now))
    return deleted


def _gone(note: Path, now: float) -> bool:
    try:
        if now - note.stat().st_mtime < IDLE_SECONDS:
            return False
        served = note.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(served) and not os.path.exists(served)


def _stale_markers(folder: Path, now: float) -> list[Path]:
    """Delete the markers of files found valid that no build has found for `MARKER_IDLE_SECONDS`:
    each edit of each document left one, for good."""
    deleted: list[Path] = []
    try:
        shelves = sorted(entry.path for entry in os.scandir(folder) if entry.is_dir())
    except OSError:
        return deleted
    for shelf in shelves:
        try:
            markers = sorted((entry.path, entry.stat().st_mtime) for entry in os.scandir(shelf))
        except OSError:
            continue
        for path, seen in markers:
            if now - seen > MARKER_IDLE_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    deleted.append(Path(path))
    return deleted


def _delete_store(folder: Path, name: str, names: list[str]) -> list[Path]:
    """Delete ``name``'s files (``name.sqlite``, its journals, its ``.packs``/``.ids``
    stores), its note last: a prune cut short is taken up again."""
    files = [folder / n for n in names if n.startswith(f"{name}.") and n != f"{name}{NOTE}"]
    deleted: list[Path] = []
    for path in [*files, folder / f"{name}{NOTE}"]:
        try:
            path.unlink()
        except OSError:
            return deleted
        deleted.append(path)
    return deleted
