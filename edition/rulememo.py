"""Remember the edition's rules over a file, so a rebuild checks only what changed.

The rules (`edition.rules`) over one file depend on its bytes, the name it is
shown by, and the ids of the files it points into (``persons.xml#yezhov``, or the
register for a name's bare ``#id``). A `RuleMemo` entry keeps, by the file's
SHA-256 and name: a fingerprint of the file's own ids, the diagnostics, and a
fingerprint of the ids of every file it pointed into (or that the file was absent).
The ids themselves — which only the checks of files pointing into this one need —
are kept in a store apart and read when asked for (`ids_of`): loaded with every
entry, 10,000 documents' ids were 40 MB of every build. An entry is reused only
while those fingerprints hold, so a new paragraph in one document re-checks that
document and the files pointing at it, not the edition. One store per output
folder, in the user's cache (`edition.store`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from edition.diagnostics import Diagnostic
from edition.pickling import ByFields
from edition.store import Store

LAYOUT = "rules 5"  # of the memo's entries: a memo of another layout is empty


@dataclass(frozen=True, slots=True)
class Checked(ByFields):
    """One file's rules as last checked."""

    ids_print: str  # `fingerprint` of the file's own ids (kept apart: `RuleMemo.ids_of`)
    diagnostics: tuple[Diagnostic, ...]
    targets: tuple[tuple[str, str], ...]  # (file name pointed into, `fingerprint` of its ids)


def fingerprint(ids: Collection[str] | None) -> str:
    """A short hash of a set of ids; "" for a file that was not among those checked."""
    return "" if ids is None else packed_fingerprint(pack_ids(ids))


def packed_fingerprint(packed: bytes) -> str:
    """`fingerprint` of the ids `pack_ids` packed, without unpacking them."""
    return hashlib.sha256(packed).hexdigest()[:32]


def pack_ids(ids: Iterable[str]) -> bytes:
    """A file's ids in a tenth of the room: sorted, one a line (an ``xml:id`` has no white
    space). As sets of strings, 10,000 documents' ids were 50 MB of a clean build."""
    return "\n".join(sorted(ids)).encode()


def unpack_ids(packed: bytes) -> frozenset[str]:
    return frozenset(packed.decode().split("\n")) if packed else frozenset()


class RuleMemo:
    def __init__(self, file: Path, salt: str) -> None:
        # The salt is the code: new rules re-check everything.
        self.store = Store(file, f"{LAYOUT}\0{salt}")
        # Read for the few files pointed into, not kept by a resident process either.
        self.id_store = Store(file.with_name(f"{file.stem}.ids{file.suffix}"), f"{LAYOUT}\0{salt}", kept=False)
        self.previous: dict[tuple[str, str], Checked] = {}
        for key, entry in self.store.items():
            sha, _, display = key.partition("\0")
            if isinstance(entry, Checked):
                self.previous[(sha, display)] = entry
        self.current: dict[tuple[str, str], Checked] = {}
        self._ids: dict[tuple[str, str], bytes] = {}  # of the files checked this build (`pack_ids`)

    def knows(self, sha: str, display: str) -> bool:
        """Whether the file was checked before (parsed safely and well-formed then)."""
        return (sha, display) in self.previous

    def ids_print(self, sha: str, display: str) -> str:
        """The `fingerprint` of the ids of a file checked before."""
        return self.previous[(sha, display)].ids_print

    def ids_of(self, sha: str, display: str) -> frozenset[str] | None:
        """The ids of a file checked before, without parsing it; None when not stored."""
        found = next(iter(self.id_store.get_many([f"{sha}\0{display}"]).values()), None)
        return unpack_ids(found) if isinstance(found, bytes) else None

    def diagnostics(
        self, sha: str, display: str, prints: Callable[[str], str]
    ) -> tuple[Diagnostic, ...] | None:
        """The file's diagnostics if nothing it pointed into changed (``prints``: the
        `fingerprint` of a file's ids by its name); None: check it again."""
        entry = self.previous.get((sha, display))
        if entry is None:
            return None
        if any(prints(name) != seen for name, seen in entry.targets):
            return None
        self.current[(sha, display)] = entry
        return entry.diagnostics

    def remember(self, sha: str, display: str, ids: bytes, found: Collection[Diagnostic],
                 targets: Collection[str], prints: Callable[[str], str]) -> None:  # fmt: skip
        """Keep a file's check: its ids (`pack_ids`), what the rules found, what they consulted."""
        self.current[(sha, display)] = Checked(
            packed_fingerprint(ids), tuple(found), tuple((name, prints(name)) for name in sorted(targets))
        )
        self._ids[(sha, display)] = ids

    def save(self) -> None:
        """Keep this run's entries (only), writing those that changed; unwritten, it costs time only."""
        self.store.put_many(
            (f"{sha}\0{display}", entry)
            for (sha, display), entry in self.current.items()
            if self.previous.get((sha, display)) is not entry
        )
        self.store.delete(f"{sha}\0{display}" for sha, display in self.previous
                          if (sha, display) not in self.current)  # fmt: skip
        self.id_store.put_many((f"{sha}\0{display}", ids) for (sha, display), ids in self._ids.items())
        self.id_store.keep_only({f"{sha}\0{display}" for sha, display in self.current})
        self.store.close()
        self.id_store.close()
