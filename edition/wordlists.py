"""Keep the word lists `edition.lexicon` derives, prepared once, in the user's cache folder.

Deriving them from the libraries that ship them takes seconds per process: wordfreq's
English and six foreign frequency lists, pyspellchecker's dictionary, the words whose
other national spelling it lists, the words an OCR correction may be. Every build
worker needs them, so the first process to
need a list writes what it derived to ``<cache>/wordlists/`` (`edition.schema.cache_dir`)
and every later one reads it back in milliseconds.

A file is named by the list and a fingerprint of what made it — the versions of
wordfreq and pyspellchecker and the code of this module and of `edition.lexicon` —
so a new version or a changed derivation makes new files, never reads stale ones.
The files hold data only (words, numbers, a checksum): nothing in them is run. A
file that is not this user's, that others may write, or whose checksum or counts
disagree is not read; the list is derived again and the file rewritten.

Two shapes: a *word set* (a `frozenset`, or a sorted list) and a *frequency table* ({word: value}),
the latter either loaded into a `dict` for frequent look-ups or kept as a sorted
`SortedTable`, searched by bisection, which loads without building anything (the
foreign lists: read for a few words a document, and the largest). A set is kept as a
table whose values are all 0, so that it too can be searched where it lies (`mapped_set`).
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import importlib.metadata
import json
import mmap
import os
import re
import sys
import threading
import time
import zlib
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal, TypeAlias

from edition.schema import cache_dir

Words: TypeAlias = "bytes | mmap.mmap"  # the words of a table: read whole, or mapped
Numbers: TypeAlias = "array.array[int] | memoryview"  # its offsets and value codes, likewise

# The libraries whose data the lists come from: a new version makes new files.
SOURCES = ("wordfreq", "pyspellchecker")

MAGIC = b"tei-edition word list 1\n"

# A mapped table is checked by reading its file through in pieces of this size.
PIECE = 1 << 20

# A list's name, which is part of a file name: "zipf-en", "dictionary-en", "zipf-pt-br".
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def folder() -> Path:
    return cache_dir() / "wordlists"


@functools.cache
def fingerprint() -> str:
    """What the lists depend on: the libraries' versions and the code that derives them."""
    digest = hashlib.sha256()
    for name in SOURCES:
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent\n".encode())
    here = Path(__file__).resolve().parent
    for module in ("lexicon.py", "wordlists.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:20]


class SortedTable(Mapping[str, float]):
    """A frequency table as its sorted UTF-8 words, searched by bisection: nothing to build."""

    def __init__(self, words: Words, offsets: Numbers, codes: Numbers, values: tuple[float, ...],
                 base: int = 0) -> None:  # fmt: skip
        self._words = words  # from ``base`` on: each word followed by "\n", in byte order
        self._offsets = offsets  # where each word starts after ``base``, and one past the end
        self._codes = codes  # each word's value, as a position in ``values``
        self._values = values
        self._base = base

    def _word(self, at: int) -> bytes:
        return self._words[self._base + self._offsets[at] : self._base + self._offsets[at + 1] - 1]

    def _find(self, word: str) -> int:
        key = word.encode("utf-8", "surrogatepass")
        low, high = 0, len(self._offsets) - 1
        while low < high:
            middle = (low + high) // 2
            if self._word(middle) < key:
                low = middle + 1
            else:
                high = middle
        found = low < len(self._offsets) - 1 and self._word(low) == key
        return low if found else -1

    def __getitem__(self, word: str) -> float:
        at = self._find(word) if isinstance(word, str) else -1
        if at < 0:
            raise KeyError(word)
        return self._values[self._codes[at]]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) >= 0

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __iter__(self) -> Iterator[str]:
        for at in range(len(self)):
            yield self._word(at).decode("utf-8", "surrogatepass")


def word_set(name: str, derive: Callable[[], Iterable[str]]) -> frozenset[str]:
    """The set ``name``, read from the cache or derived (and then written there, as a table)."""
    loaded = _read(name)
    if loaded is not None:
        return frozenset(_split(loaded[0]))
    return frozenset(_derive_table(name, functools.partial(_as_table, derive)))


def mapped_set(name: str, derive: Callable[[], Iterable[str]]) -> Container[str]:
    """The set ``name`` looked up in its cached file mapped into memory, as a table is
    (`frequency_table`): nothing to build, the pages shared by every process."""
    return frequency_table(name, functools.partial(_as_table, derive))


def _as_table(derive: Callable[[], Iterable[str]]) -> dict[str, float]:
    """A set as the table it is kept as: every value 0."""
    return dict.fromkeys(derive(), 0.0)


def sorted_words(name: str, derive: Callable[[], Iterable[str]]) -> list[str]:
    """The words of list ``name`` in order, read from the cache or derived (and then written there)."""
    loaded = _read(name)
    if loaded is not None and not loaded[1]["table"]:
        return _split(loaded[0])  # the file keeps them in byte order, which is code point order
    words = sorted(set(derive()))
    _write(name, _encode(words, None))
    return words


def frequency_dict(name: str, derive: Callable[[], Mapping[str, float]]) -> dict[str, float]:
    """The table ``name`` as a `dict`, read from the cache or derived (and then written there)."""
    loaded = _read(name)
    if loaded is not None and loaded[1]["table"]:
        words = _split(loaded[0])
        table = _sorted_table(*loaded)
        return dict(zip(words, map(table._values.__getitem__, table._codes), strict=True))
    return dict(_derive_table(name, derive))


def frequency_table(name: str, derive: Callable[[], Mapping[str, float]]) -> Mapping[str, float]:
    """The table ``name`` as a `SortedTable` over the cached file mapped into memory, else as
    derived: a look-up reads the few pages it bisects, and processes share them (six
    foreign lists read whole held 39 MB in every process converting)."""
    mapped = _read_mapped(name)
    if mapped is not None:
        return mapped
    loaded = _read(name)  # a file system that cannot map files: the file read whole
    if loaded is not None and loaded[1]["table"]:
        return _sorted_table(*loaded)
    derived = _derive_table(name, derive)
    # Derived (a first build on this machine), the table is a dict of a language's every
    # word: read through its new file instead, as later builds will, it is let go — eight
    # languages held as dicts took a worker to 500–600 MB.
    return _read_mapped(name) or derived


def _derive_table(name: str, derive: Callable[[], Mapping[str, float]]) -> Mapping[str, float]:
    table = derive()
    _write(name, _encode(table, table))
    return table


def _split(words: bytes) -> list[str]:
    return words.decode("utf-8", "surrogatepass").split("\n")[:-1] if words else []


def _sorted_table(words: bytes, header: dict[str, object]) -> SortedTable:
    return SortedTable(words, header["offsets"], header["codes"], _values(header))  # type: ignore[arg-type]


def _values(header: dict[str, object]) -> tuple[float, ...]:
    return tuple(float(v) for v in header["values"])  # type: ignore[attr-defined]


# -- the file --------------------------------------------------------------------------
# MAGIC, one line of JSON (counts, sizes, the distinct values, a CRC-32 of the rest), then
# the words (UTF-8, each ending in "\n", in byte order) and, for a table, each word's start
# offset and value code as little-endian 32-bit and 16-bit arrays.


def _encode(words: Iterable[str], values: Mapping[str, float] | None) -> bytes | None:
    """The file of a set (``values`` None) or a table; None when a word holds a line break."""
    encoded = sorted(w.encode("utf-8", "surrogatepass") for w in words)
    if any(b"\n" in w for w in encoded):
        return None
    blob = b"".join(w + b"\n" for w in encoded)
    parts = [blob]
    header: dict[str, object] = {"count": len(encoded), "words": len(blob), "table": values is not None}
    if values is not None:
        distinct = sorted(set(values.values()))
        if len(distinct) > 1 << 16:
            return None
        position = {value: i for i, value in enumerate(distinct)}
        offsets = array.array("I", [0])
        codes = array.array("H")
        for word in encoded:
            offsets.append(offsets[-1] + len(word) + 1)
            codes.append(position[values[word.decode("utf-8", "surrogatepass")]])
        header["values"] = [repr(v) for v in distinct]  # repr: the exact float back
        parts += [_little_endian(offsets), _little_endian(codes)]
    payload = b"".join(parts)
    header["crc"] = zlib.crc32(payload)
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload


def _little_endian(numbers: array.array[int]) -> bytes:
    if sys.byteorder != "little":
        numbers = array.array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _from_little_endian(typecode: str, data: bytes) -> array.array[int]:
    numbers = array.array(typecode)
    numbers.frombytes(data)
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers


def _path(name: str) -> Path:
    if not NAME.fullmatch(name):  # a configured language is a name too: never "../x"
        raise ValueError(f"not a word list name: {name!r}")
    return folder() / f"{name}-{fingerprint()}.list"


def _read(name: str) -> tuple[bytes, dict[str, object]] | None:
    """The words and header of list ``name`` when a trustworthy, whole file has them."""
    try:
        with open(_path(name), "rb") as stream:
            if not _trusted(os.fstat(stream.fileno())):
                return None
            data = stream.read()
        return _decode(data)
    except (OSError, ValueError, KeyError, TypeError, OverflowError):
        return None  # absent, unreadable or malformed: derive the list again


def _read_mapped(name: str) -> SortedTable | None:
    """Table ``name`` over its file mapped into memory, when a trustworthy, whole file has it.

    Checked as `_read` checks it, by reading the file through once in pieces (its pages
    stay the system's, not this process's) — unless a process did so before and noted it
    (`_found_whole`) —; the words and numbers are then read in place. A mapped file must
    never be cut short where it is (a look-up past its end would stop the process):
    `_write` replaces a list by renaming a new file over it, never in place.
    """
    try:
        path = _path(name)
        with open(path, "rb") as stream:
            status = os.fstat(stream.fileno())
            if not _trusted(status):
                return None
            head = stream.read(len(MAGIC))
            if head != MAGIC:
                return None
            header = json.loads(stream.readline())
            start = stream.tell()
            count, size = int(header["count"]), int(header["words"])
            if not header["table"] or status.st_size != start + size + 6 * count + 4:
                return None
            if not _found_whole(path, status):
                crc = lines = read = 0
                while piece := stream.read(PIECE):
                    crc = zlib.crc32(piece, crc)
                    lines += piece.count(b"\n", 0, max(0, size - read))  # in the words alone
                    read += len(piece)
                if crc != header["crc"] or lines != count:
                    return None
                _note_whole(path, status)
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, KeyError, TypeError, OverflowError):
        return None  # absent, unreadable or malformed: derive the list again
    offsets_at, codes_at = start + size, start + size + 4 * (count + 1)
    offsets = _numbers_at(mapped, "I", offsets_at, count + 1)
    codes = _numbers_at(mapped, "H", codes_at, count)
    if offsets[-1] != size:
        return None
    return SortedTable(mapped, offsets, codes, _values(header), base=start)


# Read through and checked, a list is noted as found whole, by its stamp, in a file beside
# it: the next processes map it without reading it all (the seven foreign lists and the
# dictionary a conversion looks words up in: 57 MB, 60–70 ms of every build converting
# anything). A list rewritten gets a new inode; one changed in place, a new time.
CHECKED = ".checked"
RACY_SECONDS = 2  # a file changed this close to its check may change again unseen within the tick


def _stamp(status: os.stat_result) -> bytes:
    return f"{status.st_ino} {status.st_size} {status.st_mtime_ns}".encode()


def _found_whole(path: Path, status: os.stat_result) -> bool:
    """Whether a process found this very file whole before (its note holds the file's stamp)."""
    try:
        with open(f"{path}{CHECKED}", "rb") as note:
            return _trusted(os.fstat(note.fileno())) and note.read() == _stamp(status)
    except OSError:
        return False


def _note_whole(path: Path, status: os.stat_result) -> None:
    """Note ``path`` found whole as it stands (``status``); never fail."""
    if time.time_ns() - status.st_mtime_ns >= RACY_SECONDS * 1_000_000_000:
        _write_whole(Path(f"{path}{CHECKED}"), _stamp(status))


def _numbers_at(mapped: mmap.mmap, typecode: Literal["I", "H"], at: int, count: int) -> Numbers:
    """``count`` little-endian numbers in place (copied only on a big-endian machine)."""
    size = array.array(typecode).itemsize * count
    if sys.byteorder != "little":
        return _from_little_endian(typecode, mapped[at : at + size])
    return memoryview(mapped)[at : at + size].cast(typecode)


def _trusted(status: os.stat_result) -> bool:
    """A file this user owns and only this user may write (the cache may sit in a shared place)."""
    owner_ok = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return owner_ok and not status.st_mode & 0o022


def _decode(data: bytes) -> tuple[bytes, dict[str, object]] | None:
    if not data.startswith(MAGIC):
        return None
    line_end = data.index(b"\n", len(MAGIC))
    header = json.loads(data[len(MAGIC) : line_end])
    payload = memoryview(data)[line_end + 1 :]
    if zlib.crc32(payload) != header["crc"]:
        return None
    count, size = int(header["count"]), int(header["words"])
    words = bytes(payload[:size])
    if words.count(b"\n") != count:
        return None
    if header["table"]:
        offsets = _from_little_endian("I", bytes(payload[size : size + 4 * (count + 1)]))
        codes = _from_little_endian("H", bytes(payload[size + 4 * (count + 1) :]))
        if len(offsets) != count + 1 or len(codes) != count or offsets[-1] != size:
            return None
        header["offsets"], header["codes"] = offsets, codes
    return words, header


def _write(name: str, data: bytes | None) -> None:
    """Write list ``name`` atomically and remove the lists of other fingerprints; never fail."""
    if data is None or not NAME.fullmatch(name):
        return
    path = _path(name)
    with contextlib.suppress(OSError):  # a read-only cache: derive again next time
        path.parent.mkdir(parents=True, exist_ok=True)
    if not _write_whole(path, data):
        return
    with contextlib.suppress(OSError):
        for stale in [*path.parent.glob("*.list"), *path.parent.glob(f"*.list{CHECKED}")]:
            if not stale.name.partition(".")[0].endswith(f"-{fingerprint()}"):  # other versions or code
                stale.unlink(missing_ok=True)


def _write_whole(path: Path, data: bytes) -> bool:
    """Write ``path`` by renaming a file written beside it over it: a concurrent reader reads
    the whole file or none (and a mapped one is never cut short). False if it could not be."""
    # Unique to this thread: a Dask worker may run conversions in threads.
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        return False
    return True
