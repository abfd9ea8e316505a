"""Remember the edition's rules over a file, so a rebuild checks only what changed.

The rules (`edition.rules`) over one file depend on its bytes, the name it is
shown by, and the ids of the files it points into (``persons.xml#yezhov``, or the
register for a name's bare ``#id``). A `RuleMemo` entry keeps, by the file's
SHA-256 and name: the file's own ids (which other files' checks need), the
diagnostics, and a fingerprint of the ids of every file it pointed into (or that
the file was absent). It is reused only while those fingerprints hold, so a new
paragraph in one document re-checks that document and the files pointing at it,
not the edition. One store per output folder, in the user's cache (`edition.store`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from edition.diagnostics import Diagnostic
from edition.store import Store

LAYOUT = "rules 2"  # of the memo's entries: a memo of another layout is empty


@dataclass(frozen=True)
class Checked:
    """One file's rules as last checked."""

    ids: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    targets: tuple[tuple[str, str], ...]  # (file name pointed into, `fingerprint` of its ids)


def fingerprint(ids: Collection[str] | None) -> str:
    """A short hash of a set of ids; "" for a file that was not among those checked."""
    if ids is None:
        return ""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:32]


class RuleMemo:
    def __init__(self, file: Path, salt: str) -> None:
        # The salt is the code: new rules re-check everything.
        self.store = Store(file, f"{LAYOUT}\0{salt}")
        self.previous: dict[tuple[str, str], Checked] = {}
        for key, entry in self.store.items():
            sha, _, display = key.partition("\0")
            if isinstance(entry, Checked):
                self.previous[(sha, display)] = entry
        self.current: dict[tuple[str, str], Checked] = {}
        # Fingerprints of the files' ids, each made once per build: ten thousand documents
        # point into persons.xml, whose ids were sorted and hashed for each of them.
        self._prints: dict[str, str] = {}
        self._printed: Mapping[str, frozenset[str]] | None = None

    def _fingerprint(self, files: Mapping[str, frozenset[str]], name: str) -> str:
        if files is not self._printed:
            self._prints, self._printed = {}, files
        if name not in self._prints:
            self._prints[name] = fingerprint(files.get(name))
        return self._prints[name]

    def ids(self, sha: str, display: str) -> frozenset[str] | None:
        """The ids of a file checked before, without parsing it; None when unknown."""
        entry = self.previous.get((sha, display))
        return entry.ids if entry is not None else None

    def diagnostics(
        self, sha: str, display: str, files: Mapping[str, frozenset[str]]
    ) -> tuple[Diagnostic, ...] | None:
        """The file's diagnostics if nothing it pointed into changed; None: check it again."""
        entry = self.previous.get((sha, display))
        if entry is None:
            return None
        if any(self._fingerprint(files, name) != seen for name, seen in entry.targets):
            return None
        self.current[(sha, display)] = entry
        return entry.diagnostics

    def remember(self, sha: str, display: str, ids: frozenset[str], found: Collection[Diagnostic],
                 targets: Collection[str], files: Mapping[str, frozenset[str]]) -> None:  # fmt: skip
        prints = tuple((name, self._fingerprint(files, name)) for name in sorted(targets))
        self.current[(sha, display)] = Checked(ids, tuple(found), prints)

    def save(self) -> None:
        """Keep this run's entries (only), writing those that changed; unwritten, it costs time only."""
        self.store.put_many(
            (f"{sha}\0{display}", entry)
            for (sha, display), entry in self.current.items()
            if self.previous.get((sha, display)) is not entry
        )
        self.store.delete(f"{sha}\0{display}" for sha, display in self.previous
                          if (sha, display) not in self.current)  # fmt: skip
        self.store.close()
