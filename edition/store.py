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
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

UNREADABLE = (pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError)
WAIT_SECONDS = 30.0  # for a build running beside this one to finish writing


class Store:
    """The table of one cache in ``file``; ``salt`` names what its values were made by."""

    def __init__(self, file: Path, salt: str) -> None:
        self.file = file
        self._db: sqlite3.Connection | None = None
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(file, timeout=WAIT_SECONDS, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")  # readers need not wait for a writer
            db.execute("PRAGMA synchronous=NORMAL")  # a cache may lose its last rows on power loss
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TABLE IF NOT EXISTS salt (salt TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
                if db.execute("SELECT salt FROM salt").fetchall() != [(salt,)]:
                    db.execute("DELETE FROM entries")
                    db.execute("DELETE FROM salt")
                    db.execute("INSERT INTO salt VALUES (?)", (salt,))
            self._db = db
        except (OSError, sqlite3.Error):
            self._db = None  # no cache: every look-up misses, every write is dropped

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The values under ``keys`` that the store has (and can read); no other row is unpickled."""
        return dict(self._read(set(keys)))

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every readable entry."""
        return self._read(None)

    def _read(self, wanted: Collection[str] | None) -> Iterator[tuple[str, Any]]:
        if self._db is None:
            return
        try:
            if wanted is None:
                rows = self._db.execute("SELECT key, value FROM entries").fetchall()
            else:
                # Joined with a table of the keys asked for: the rows not asked for (the last
                # build's) are not even read from disk.
                with self._db:
                    self._db.execute("BEGIN")
                    self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key TEXT PRIMARY KEY)")
                    self._db.execute("DELETE FROM wanted")
                    self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in wanted))
                rows = self._db.execute(
                    "SELECT key, value FROM entries JOIN wanted USING (key)"
                ).fetchall()
        except sqlite3.Error:
            return
        for key, blob in rows:
            try:
                yield key, pickle.loads(blob)
            except UNREADABLE:
                continue  # written by another version of a class: a miss

    def put_many(self, entries: Iterable[tuple[str, Any]]) -> None:
        """Store ``entries`` (key, value), replacing what the keys held, in one transaction."""
        rows = [(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for key, value in entries]
        self._write("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)

    def delete(self, keys: Iterable[str]) -> None:
        self._write("DELETE FROM entries WHERE key = ?", [(key,) for key in keys])

    def keep_only(self, keys: Collection[str]) -> None:
        """Delete every entry but those under ``keys``, so the store holds one build's worth."""
        if self._db is None:
            return
        try:
            stored = [key for (key,) in self._db.execute("SELECT key FROM entries")]
        except sqlite3.Error:
            return
        self.delete(key for key in stored if key not in keys)

    def _write(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        if self._db is None or not rows:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(statement, rows)
        except sqlite3.Error:
            return  # a cache that cannot be written only costs time

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
