"""A cache table on disk: pickled values by text key in one SQLite file, read and written by the row.

The conversion cache (`edition.cache`), the page memo (`edition.render.memo`) and the
rules' memo (`edition.rulememo`) each keep one entry per document. Kept as one file
per entry, a 10,000-document rebuild opened ten thousand files (1.2 s); kept as one
pickle, it read and rewrote the whole memo to change one entry (0.8 s). SQLite reads
the rows asked for and writes only the rows that changed, in one transaction, and two
builds at once wait for each other instead of tearing the file.

A store whose file is missing, unreadable or written under another ``salt`` (another
code version, another layout) reads as empty: a cache can only cost time, never give
a wrong result. One that cannot be written is left alone.

A process that builds again and again (``edition serve``, rebuilding on every save)
calls `keep_in_memory`: then it keeps what it read and wrote, a `Mirror` per file, and
reads from there while no other process has written the file since (every write sets
a new random token in the file; a mirror holding another token is dropped). Unpickling
ten thousand page records took a second of every rebuild. A one-off build does not: it
would hold every value to its end, TEI bytes and all.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

UNREADABLE = (pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError)
WAIT_SECONDS = 30.0  # for a build running beside this one to finish writing
MIRRORS_KEPT = 6  # files mirrored at once: a build uses five stores
ROWS_FETCHED = 512  # rows read from the file at a time when reading them all
# The rows asked for, looked up by key. (A join of the two tables made SQLite read every
# row of the store to find 50: 8 ms a query, 13 s of a clean 10,000-document build.)
ASKED_FOR = "SELECT {} FROM entries WHERE key IN (SELECT key FROM wanted)"
ASKED_UP_TO = 1000  # keys looked up through a table of them; more: every key is read


@dataclass
class Mirror:
    """What this process knows of one store file: the values by key, as of its ``token``.

    The values are shared by the builds of the process, so they must never be changed in
    place (the caches keep frozen dataclasses and tuples).
    """

    salt: str
    token: str
    values: dict[str, Any] = field(default_factory=dict)
    complete: bool = False  # every row of the file is in ``values`` (and no other key is)


_keeping = False
_mirrors: OrderedDict[str, Mirror] = OrderedDict()  # by the file's real path, newest last
_files: dict[str, tuple[tuple[int, int, int], Any]] = {}  # `read_kept`: by real path, with its stamp


def keep_in_memory(keep: bool = True) -> None:
    """Keep (or stop keeping, and drop) what the stores of this process read and write."""
    global _keeping
    _keeping = keep
    if not keep:
        _mirrors.clear()
        _files.clear()


def read_kept(path: Path, read: Callable[[], T]) -> T:
    """``read()``, the reading of the file at ``path``; while this process keeps values in
    memory, what it gave before, as long as the file is the same (inode, size, mtime)."""
    if not _keeping:
        return read()
    name, stamp = os.path.realpath(path), file_stamp(path)
    kept = _files.get(name)
    if kept is not None and kept[0] == stamp:
        return kept[1]  # type: ignore[no-any-return]
    value = read()
    _files[name] = (stamp, value)
    return value


def keep_written(path: Path, value: object) -> None:
    """Note ``value`` as what the file at ``path``, just written by this process, reads as."""
    if _keeping:
        _files[os.path.realpath(path)] = (file_stamp(path), value)


def file_stamp(path: str | Path) -> tuple[int, int, int]:
    """(inode, size, mtime in ns) of a file: changed when it is replaced or edited; all -1
    when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


class Store:
    """The table of one cache in ``file``; ``salt`` names what its values were made by."""

    def __init__(self, file: Path, salt: str, kept: bool = True) -> None:
        self.file = file
        self.salt = salt
        self.kept = kept  # whether a process that keeps values in memory keeps this file's
        self._db: sqlite3.Connection | None = None
        self._read_all = False  # whether the last reading of every row reached the end
        self._name = os.path.realpath(file)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(file, timeout=WAIT_SECONDS, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")  # readers need not wait for a writer
            db.execute("PRAGMA synchronous=NORMAL")  # a cache may lose its last rows on power loss
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TABLE IF NOT EXISTS salt (salt TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
                db.execute("CREATE TABLE IF NOT EXISTS token (token TEXT)")  # of the last write
                if db.execute("SELECT salt FROM salt").fetchall() != [(salt,)]:
                    db.execute("DELETE FROM entries")
                    db.execute("DELETE FROM salt")
                    db.execute("INSERT INTO salt VALUES (?)", (salt,))
                    _new_token(db)
            self._db = db
        except (OSError, sqlite3.Error):
            self._db = None  # no cache: every look-up misses, every write is dropped

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The values under ``keys`` that the store has (and can read); no other row is unpickled."""
        return dict(self._read(set(keys)))

    def present(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` that have a row, without reading the rows' values."""
        if self._db is None:
            return set()
        wanted = set(keys)
        try:
            mirror = self._mirror(_token(self._db))
            if mirror.complete:
                return wanted & mirror.values.keys()
            if len(wanted) > ASKED_UP_TO:  # every key read beats ten thousand put in a table
                return wanted & {key for (key,) in self._db.execute("SELECT key FROM entries")}
            self._want(wanted)
            return {key for (key,) in self._db.execute(ASKED_FOR.format("key"))}
        except sqlite3.Error:
            return set()

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every readable entry."""
        return self._read(None)

    def _read(self, wanted: Collection[str] | None) -> Iterator[tuple[str, Any]]:
        if self._db is None:
            return
        try:
            mirror = self._mirror(_token(self._db))
            if mirror.complete:
                values = mirror.values
                found = values.items() if wanted is None else ((k, values[k]) for k in wanted if k in values)
                yield from list(found)
                return
            if wanted is None:
                rows: Iterable[tuple[str, bytes]] = self._all_rows()
            else:
                unknown = [key for key in wanted if key not in mirror.values]
                yield from [(key, mirror.values[key]) for key in wanted if key in mirror.values]
                rows = self._rows(unknown) if unknown else []
        except sqlite3.Error:
            return
        for key, blob in rows:
            try:
                value = pickle.loads(blob)
            except UNREADABLE:
                continue  # written by another version of a class: a miss
            mirror.values[key] = value
            yield key, value
        if wanted is None and self._read_all:
            mirror.complete = True

    def _all_rows(self) -> Iterator[tuple[str, bytes]]:
        """Every row, a few hundred at a time: fetched at once, the rows of a 10,000-document
        memo (70 MB) were held beside what they unpickle to."""
        assert self._db is not None
        self._read_all = False
        try:
            cursor = self._db.execute("SELECT key, value FROM entries")
            while batch := cursor.fetchmany(ROWS_FETCHED):
                yield from batch
        except sqlite3.Error:
            return
        self._read_all = True

    def _rows(self, keys: Collection[str]) -> list[tuple[str, bytes]]:
        """The stored rows of ``keys``, looked up by key from a table of them (`ASKED_FOR`):
        the rows not asked for (the last build's) are not even read from disk."""
        assert self._db is not None
        self._want(keys)
        return self._db.execute(ASKED_FOR.format("key, value")).fetchall()

    def _want(self, keys: Collection[str]) -> None:
        """Fill the temporary table of keys asked for."""
        assert self._db is not None
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM wanted")
            self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))

    def _mirror(self, token: str) -> Mirror:
        """This file's mirror as of ``token``: the one kept if the file is as it left it, else new."""
        if not (_keeping and self.kept):
            return Mirror(self.salt, token)  # lives as long as the call that uses it
        mirror = _mirrors.get(self._name)
        if mirror is None or mirror.salt != self.salt or mirror.token != token:
            mirror = Mirror(self.salt, token)
        _mirrors[self._name] = mirror
        _mirrors.move_to_end(self._name)
        while len(_mirrors) > MIRRORS_KEPT:
            _mirrors.popitem(last=False)
        return mirror

    def put_many(self, entries: Iterable[tuple[str, Any]]) -> bool:
        """Store ``entries`` (key, value), replacing what the keys held, in one transaction;
        False when they could not be written (nothing to write is written)."""
        entries = list(entries)
        if not entries:
            return True
        # Pickled one at a time as SQLite takes them: all pickled first, a clean 10,000-document
        # build's page records were 11 MB of bytes held at once.
        rows = ((key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for key, value in entries)
        mirror = self._write("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
        if mirror is not None:
            mirror.values.update(entries)
        return mirror is not None

    def delete(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        mirror = self._write("DELETE FROM entries WHERE key = ?", [(key,) for key in keys])
        if mirror is not None:
            for key in keys:
                mirror.values.pop(key, None)

    def keep_only(self, keys: Collection[str]) -> None:
        """Delete every entry but those under ``keys``, so the store holds one build's worth."""
        if self._db is None:
            return
        try:
            mirror = self._mirror(_token(self._db))
            stored = (
                list(mirror.values)
                if mirror.complete
                else [key for (key,) in self._db.execute("SELECT key FROM entries")]
            )
        except sqlite3.Error:
            return
        self.delete(key for key in stored if key not in keys)

    def _write(self, statement: str, rows: Iterable[tuple[Any, ...]]) -> Mirror | None:
        """Run ``statement`` on ``rows`` (at least one) in one transaction; the mirror to make
        the same change to, or None when nothing was written."""
        if self._db is None:
            return None
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                # Read under the write lock: a write of another process since our last is seen.
                mirror = self._mirror(_token(self._db))
                self._db.executemany(statement, rows)
                mirror.token = _new_token(self._db)
        except sqlite3.Error:
            _mirrors.pop(self._name, None)  # what the file holds now is not known
            return None  # a cache that cannot be written only costs time
        return mirror

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _token(db: sqlite3.Connection) -> str:
    found = db.execute("SELECT token FROM token").fetchall()
    return str(found[0][0]) if found else ""


def _new_token(db: sqlite3.Connection) -> str:
    """Mark the file as written: a mirror of it as it was is no longer to be trusted."""
    token = uuid.uuid4().hex
    db.execute("DELETE FROM token")
    db.execute("INSERT INTO token VALUES (?)", (token,))
    return token
