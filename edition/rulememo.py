"""Remember the edition's rules over a file, so a rebuild checks only what changed.

The rules (`edition.rules`) over one file depend on its bytes, the name it is
shown by, and the ids of the files it points into (``persons.xml#yezhov``, or the
register for a name's bare ``#id``). A `RuleMemo` entry keeps, by the file's
SHA-256 and name: the file's own ids (which other files' checks need), the
diagnostics, and a fingerprint of the ids of every file it pointed into (or that
the file was absent). It is reused only while those fingerprints hold, so a new
paragraph in one document re-checks that document and the files pointing at it,
not the edition. One memo file per output folder, in the user's cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from edition import memofile
from edition.diagnostics import Diagnostic

VERSION = 1  # of the memo's layout


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
        self.file = file
        self.salt = salt  # the code: new rules re-check everything
        self.previous: dict[tuple[str, str], Checked] = memofile.load(file, VERSION, salt)
        self.current: dict[tuple[str, str], Checked] = {}
        self.written = False  # whether any file was checked anew (else the memo on disk holds)

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
        if any(fingerprint(files.get(name)) != seen for name, seen in entry.targets):
            return None
        self.current[(sha, display)] = entry
        return entry.diagnostics

    def remember(self, sha: str, display: str, ids: frozenset[str], found: Collection[Diagnostic],
                 targets: Collection[str], files: Mapping[str, frozenset[str]]) -> None:  # fmt: skip
        prints = tuple((name, fingerprint(files.get(name))) for name in sorted(targets))
        self.current[(sha, display)] = Checked(ids, tuple(found), prints)
        self.written = True

    def save(self) -> None:
        """Keep this run's entries (only); a memo not written costs time only."""
        if not self.written and self.current.keys() == self.previous.keys():
            return  # every file's check was remembered: the memo on disk says just this
        memofile.save(self.file, VERSION, self.salt, self.current)
