"""The anchors lock on disk: read by document, written whole, indexed so a rebuild need not read it.

The lock (`edition.anchors`) of a 10,000-document edition is 24 MB, 230,000 lines. A
rebuild needs, of most documents, only whether their lines are still those it converted
them with: so each document's lines are hashed once where the lock is read (`Lock.digest`,
which the conversion cache keys on), and read from the file again only when asked for —
for the documents converted, and when the lock is written. Held as text they were 31 MB
of every rebuild.

The *index* — where each document's lines are in the file, and their hashes — is kept in
the user's cache by the file's stamp (`edition.pipeline` keeps it), so a rebuild does not read the lock
at all: parsing it took a fifth of a second. A lock rewritten within a clock tick of its
indexing could keep its stamp; such a racy index is trusted only after the file's hash is
checked (git's index does the same).

A lock that is not plain (Windows line ends, no last line break) is read whole and kept
in memory.
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from edition.anchors import (
    DOCUMENT_ID,
    RETIRED,
    Anchor,
    lock_text,
    parse_lock_line,
    split_lock_lines,
)
from edition.diagnostics import Diagnostic, EditionError, error
from edition.pickling import ByFields

LOCK_HEADER = (
    "# edition anchors: the ids each document has published. Commit this file; a build\n"
    "# keeps these ids, mints new ones for new blocks, and keeps retired ids as aliases.\n"
)
PIECE = 1 << 20  # bytes read at a time: a lock is indexed without holding it whole
RACY_NS = 2_000_000_000  # a file changed this close to its indexing might keep its stamp

# A run of lock lines of one document, as `write_lock_text` writes them: one document's
# lines are consecutive. E.g. "d-t\tp1\t3f2a9c01de\tDear Sir\nd-t\tp2\t->\tp1\n".
_LINE_REST = rb"\t[a-z]+\d+\t[^\t\n]*\t[^\t\n]*\n"  # the rest of a line (`edition.anchors.Anchor.line`)
LOCK_BLOCK = re.compile(
    rb"(?P<doc>" + DOCUMENT_ID.pattern.encode() + rb")" + _LINE_REST
    + rb"(?:(?P=doc)" + _LINE_REST + rb")*|(?P<other>[^\n]*\n)"
)

Stamp = tuple[int, int, int]  # a file's inode, size, modification time in ns
Run = tuple[int, int, int]  # a run of a document's lines: the lock line of the first; start, end byte


def lines_digest(text: bytes) -> bytes:
    """The hash of a document's lines (`edition.anchors.lock_text`), by which conversions are keyed."""
    return hashlib.sha256(text).digest()


NO_LINES = lines_digest(b"")


@dataclass(frozen=True, slots=True)
class LockIndex(ByFields):
    """Where each document's lines are in a lock file, and their hashes; the file as indexed."""

    stamp: Stamp
    indexed: int  # when (ns since the epoch): a file stamped this close may have changed unseen
    sha: bytes  # SHA-256 of the whole file, to check a racy index by
    runs: dict[str, tuple[Run, ...]]
    digests: dict[str, bytes]  # `lines_digest` of each document's lines

    def racy(self) -> bool:
        return self.stamp[2] >= self.indexed - RACY_NS


class Lock(Mapping[str, Sequence[Anchor]]):
    """The lock as read: each document's lines where they are, parsed into `Anchor`s when asked.

    Lines are read from the lock file as indexed (`LockIndex`), or from ``data`` for a
    lock held in memory; a document given lines of its own (`with_lines`) has them here.
    """

    def __init__(self, index: LockIndex | None = None, path: Path | None = None, data: bytes | None = None,
                 given: Mapping[str, tuple[int, bytes]] | None = None) -> None:  # fmt: skip
        self.index = index
        self._runs = index.runs if index else {}
        self._path = path
        self._data = data  # the whole text, when not read from ``path``
        self._given = dict(given or {})  # document → (lock line of the first, its lines)
        self._file: BinaryIO | None = None  # open while `reading`
        self._parsed: dict[str, tuple[Anchor, ...]] = {}

    def __getitem__(self, doc: str) -> tuple[Anchor, ...]:
        if doc not in self._parsed:
            if doc not in self:
                raise KeyError(doc)
            first = self.first_line(doc)
            self._parsed[doc] = tuple(
                parse_lock_line(line, first + offset) for offset, line in enumerate(split_lock_lines(self.text(doc)))
            )
        return self._parsed[doc]

    def __contains__(self, doc: object) -> bool:
        return doc in self._given or doc in self._runs

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._runs), **dict.fromkeys(self._given)})

    def __len__(self) -> int:
        return len(self._runs.keys() | self._given.keys())

    def text(self, doc: str) -> bytes:
        """The document's lines as the lock has them (b"" for none), to compare and hash as they are."""
        if doc in self._given:
            return self._given[doc][1]
        runs = self._runs.get(doc, ())
        if not runs:
            return b""
        if self._data is not None:
            return b"".join(self._data[start:end] for _, start, end in runs)
        pieces = []
        with self._reader() as file:
            for _, start, end in runs:
                file.seek(start)
                pieces.append(file.read(end - start))
        return b"".join(pieces)

    def digest(self, doc: str) -> bytes:
        """`lines_digest` of the document's lines, without reading them where the index has it."""
        if doc not in self._given and self.index is not None:
            return self.index.digests.get(doc, NO_LINES)
        return lines_digest(self.text(doc))

    def first_line(self, doc: str) -> int:
        return self._given[doc][0] if doc in self._given else self._runs[doc][0][0]

    def copyable(self, doc: str) -> tuple[int, int] | None:
        """Where the document's lines are in the lock file, when they are one run there."""
        runs = self._runs.get(doc, ())
        if self._data is not None or doc in self._given or len(runs) != 1:
            return None
        return runs[0][1], runs[0][2]

    def holds(self, path: Path, sha: bytes) -> bool:
        """Whether the file at ``path`` is this lock's, unchanged, and its SHA-256 is ``sha``."""
        if self._path != path or self.index is None or self.index.sha != sha or self.index.racy():
            return False
        status = os.stat(path)
        return (status.st_ino, status.st_size, status.st_mtime_ns) == self.index.stamp

    @property
    def on_file(self) -> bool:
        """Whether its lines are read from the lock file (and its index is worth keeping)."""
        return self._path is not None

    def with_lines(self, given: Mapping[str, tuple[int, bytes]]) -> Lock:
        """This lock with documents given lines of their own: (the lock line to report, the lines)."""
        return Lock(self.index, self._path, self._data, {**self._given, **given})

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Keep the lock file open meanwhile: many documents' lines read in one go."""
        if self._file is not None or self._path is None or self._data is not None:
            yield
            return
        with self._reader() as self._file:
            try:
                yield
            finally:
                self._file = None

    @contextlib.contextmanager
    def _reader(self) -> Iterator[BinaryIO]:
        if self._file is not None:
            yield self._file
            return
        assert self._path is not None and self.index is not None
        with self._path.open("rb") as file:
            status = os.fstat(file.fileno())
            if (status.st_ino, status.st_size, status.st_mtime_ns) != self.index.stamp:
                raise EditionError([error(str(self._path), 0, 0, "the anchors lock changed during the "
                                          "build (another build of these sources?); build again",
                                          "anchors.changed")])  # fmt: skip
            yield file


def read_lock(path: Path, display: str, known: LockIndex | None = None) -> tuple[Lock, list[Diagnostic]]:
    """The lock's anchors by document; a missing lock is an empty one. ``known``: the index
    made of the file before, taken as it is if the file has not changed since."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return Lock(), []
    except OSError as exc:
        return Lock(), [_unreadable(display, exc.strerror)]
    stamp = (status.st_ino, status.st_size, status.st_mtime_ns)
    try:
        if known is not None and known.stamp == stamp:
            if not known.racy():
                return Lock(known, path), []
            if _file_sha(path) == known.sha:  # the same file: index it anew, no longer racy
                return Lock(LockIndex(stamp, time.time_ns(), known.sha, known.runs, known.digests), path), []
        return _index_file(path, display)
    except OSError as exc:
        return Lock(), [_unreadable(display, exc.strerror)]
    except UnicodeDecodeError:
        return Lock(), [_unreadable(display, "it is not UTF-8 text")]


def _unreadable(display: str, why: str | None) -> Diagnostic:
    return error(display, 0, 0, f"cannot read the anchors lock: {why}", "anchors.read")


def _file_sha(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while piece := file.read(PIECE):
            digest.update(piece)
    return digest.digest()


def _index_file(path: Path, display: str) -> tuple[Lock, list[Diagnostic]]:
    """Index the lock a piece at a time (whole lines each); one that is not plain, in memory."""
    indexer = _Indexer(display)
    whole = hashlib.sha256()
    with path.open("rb") as file:
        status = os.fstat(file.fileno())
        rest, plain = b"", True
        while plain and (piece := file.read(PIECE)):
            whole.update(piece)
            data = rest + piece
            cut = data.rfind(b"\n") + 1
            lines, rest = data[:cut], data[cut:]
            plain = b"\r" not in lines
            if plain:
                indexer.add(lines)
    if rest or not plain:  # Windows line ends, or no line break at the end
        data = path.read_bytes()
        data = b"".join(line + b"\n" for line in data.splitlines())
        memory = _Indexer(display)
        memory.add(data)
        return Lock(memory.index((-1, -1, -1), b""), data=data), memory.problems
    stamp = (status.st_ino, status.st_size, status.st_mtime_ns)
    return Lock(indexer.index(stamp, whole.digest()), path), indexer.problems


class _Indexer:
    """Finds each document's runs of lines in a lock's text, given whole lines at a time."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.runs: dict[str, list[Run]] = {}
        self.hashes: dict[str, hashlib._Hash] = {}
        self.problems: list[Diagnostic] = []
        self.offset = 0
        self.number = 1

    def add(self, lines: bytes) -> None:
        lines.decode("utf-8")  # checked; kept as bytes
        # One regex match per document's run of lines: matching line by line took seconds.
        for match in LOCK_BLOCK.finditer(lines):
            run, doc = match[0], match["doc"]
            start, end = self.offset + match.start(), self.offset + match.end()
            if doc is not None:
                name = doc.decode()
                runs = self.runs.setdefault(name, [])
                if runs and runs[-1][2] == start:  # a run cut in two where a piece ended
                    runs[-1] = (runs[-1][0], runs[-1][1], end)
                else:
                    runs.append((self.number, start, end))
                self.hashes.setdefault(name, hashlib.sha256()).update(run)
            elif (line := run.rstrip(b"\n").decode()).strip() and not line.startswith("#"):
                self.problems.append(
                    error(self.display, self.number, 1,
                          "expected 'doc-id<TAB>id<TAB>hash<TAB>text' "
                          f"or 'doc-id<TAB>id<TAB>{RETIRED}<TAB>target', got {line[:60]!r}",
                          "anchors.syntax")
                )  # fmt: skip
            self.number += run.count(b"\n")
        self.offset += len(lines)

    def index(self, stamp: Stamp, sha: bytes) -> LockIndex:
        runs = {doc: tuple(found) for doc, found in self.runs.items()}
        digests = {doc: digest.digest() for doc, digest in self.hashes.items()}
        return LockIndex(stamp, time.time_ns(), sha, runs, digests)


def write_lock(path: Path, anchors: Iterable[Anchor]) -> None:
    """Write the lock sorted by document and id number, atomically."""
    by_doc: dict[str, list[Anchor]] = {}
    for anchor in anchors:
        by_doc.setdefault(anchor.doc, []).append(anchor)
    write_lock_text(path, {doc: lock_text(lines) for doc, lines in by_doc.items()})


def write_lock_text(path: Path, texts: Mapping[str, bytes]) -> Lock:
    """Write the lock from each document's lines as text (`lock_text`), sorted by document;
    return it as `read_lock` would read it back. ``texts`` is read a document at a time."""
    return rewrite_lock(path, Lock(), texts, texts)


def rewrite_lock(path: Path, lock: Lock, changed: Mapping[str, bytes], docs: Iterable[str]) -> Lock:
    """`write_lock_text` of ``docs``: the lines in ``changed``, else those ``lock`` (read from
    ``path``) has. A document's lines unchanged are copied from the file a stretch at a time,
    their digest kept: read, hashed and written one document at a time, the lines of 10,000
    took a one-document rebuild 0.15 s.

    Written piece by piece to a file beside it and compared with the old one there: the
    whole 20 MB text, and the old one read back, took 100 MB at 10,000 documents.
    """
    runs: dict[str, tuple[Run, ...]] = {}
    digests: dict[str, bytes] = {}
    whole = hashlib.sha256(LOCK_HEADER.encode())
    number, offset = 1 + LOCK_HEADER.count("\n"), len(LOCK_HEADER.encode())
    stretch: list[tuple[str, int, int]] = []  # unchanged documents whose lines follow each other

    def put(doc: str, text: bytes, lines: int, digest: bytes) -> None:
        nonlocal number, offset
        runs[doc] = ((number, offset, offset + len(text)),)
        digests[doc] = digest
        whole.update(text)
        number += lines
        offset += len(text)
        out.write(text)

    def flush() -> None:
        nonlocal number, offset
        if not stretch:
            return
        start = stretch[0][1]
        with lock._reader() as old:
            old.seek(start)
            data = old.read(stretch[-1][2] - start)
        out.write(data)
        whole.update(data)
        for doc, begin, end in stretch:
            runs[doc] = ((number, offset, offset + end - begin),)
            digests[doc] = lock.digest(doc)
            number += data.count(b"\n", begin - start, end - start)
            offset += end - begin
        stretch.clear()

    partial = path.with_name(f".{path.name}.part")
    # The old file is closed before the new one replaces it (Windows refuses to replace an open file).
    with partial.open("wb") as out, lock.reading():
        out.write(LOCK_HEADER.encode())
        for doc in sorted(docs):
            found = lock.copyable(doc) if doc not in changed else None
            if found is not None:
                if stretch and (found[0] != stretch[-1][2] or found[1] - stretch[0][1] > PIECE):
                    flush()
                stretch.append((doc, *found))
                continue
            flush()
            text = changed[doc] if doc in changed else lock.text(doc)
            if text:
                put(doc, text, text.count(b"\n"), lines_digest(text))
        flush()
    if lock.holds(path, whole.digest()) or (path.exists() and filecmp.cmp(partial, path, shallow=False)):
        partial.unlink()  # unchanged: leave the file (and its timestamp) alone
    else:
        partial.replace(path)
    status = os.stat(path)
    stamp = (status.st_ino, status.st_size, status.st_mtime_ns)
    return Lock(LockIndex(stamp, time.time_ns(), whole.digest(), runs, digests), path)
