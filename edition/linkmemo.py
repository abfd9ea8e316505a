"""Reuse output files of the previous builds where they would come out the same.

A build writes its output into a fresh folder and swaps it in (`edition.atomic`).
Most of it is what the published folder holds already: a group of files (a
document's TEI file; a document's folder on the site) depends on a few inputs,
which a key hashes. When the key is the one the previous build recorded for the
group, its files are taken over instead of written again:

- from the spare output (`edition.atomic.keep_as_spare`, the one published before the
  current one) when it holds the very files recorded — same inode, size and
  modification time, as for a group unchanged in the last two builds: they are
  moved into the new folder, a group's whole folder in one rename when it owns one;
- else from the published folder, if it still holds them: hard-linked, a link per file.

The published folder is never touched, so a killed build still leaves it whole.

Taking ten thousand documents' folders over is a few tenths of a second of system
calls and Python's own work: a caller may `claim` the groups first and have them
taken over (`take_over`) in a process of its own while it writes the rest.

The records live in the user's cache folder, a store per output folder
(`edition.store`): a build rewrites only the records that changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from edition.pickling import ByFields
from edition.store import Store, file_stamp

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# A file's stamp as a record keeps it (`file_stamp`): inode, size, modification time in ns.
# Packed, the stamps of 60,000 files are 60,000 short strings of bytes less to load than as
# tuples of numbers (10 MB and a tenth of a second at 10,000 documents).
STAMP = struct.Struct("=Qqq")

# Part of every memo's salt: records are pickled by their fields' places (`ByFields`), so a
# store of records of another shape must be emptied, not read into the wrong fields.
RECORD_LAYOUT = "records 2"


@dataclass(frozen=True, slots=True)
class Record(ByFields):
    """What a group of files was made from, and the files as written."""

    key: str
    names: tuple[str, ...]  # the files' paths in the folder, sorted
    stamps: bytes  # their stamps, in the same order (`STAMP`)
    facts: object = None  # what else the owner keeps of the group (`edition.render.memo`)
    folder: str = ""  # the folder the group owns, if any (its files are all the folder holds)

    @property
    def folders(self) -> list[str]:
        """The folders the files are in, parents first ("" is the output folder itself)."""
        return sorted({name.rpartition("/")[0] for name in self.names} - {""})


class LinkMemo:
    """The previous build's records for the output folder published at ``published``."""

    def __init__(self, file: Path, published: Path, salt: str, spare: Path | None = None) -> None:
        self.published = published
        self.spare = spare  # the output published before, if kept (`edition.atomic.keep_as_spare`)
        self.salt = f"{RECORD_LAYOUT}\0{salt}"  # what every group depends on: any change makes every group anew
        self.store = Store(file, self.salt)
        self.previous: dict[str, Record] = {
            group: record for group, record in self.store.items() if isinstance(record, Record)
        }
        self.current: dict[str, Record] = {}
        # Groups written by this build, as `record` was told, stamped in `save`.
        self._written: dict[str, tuple[str, tuple[str, ...], object, str]] = {}
        self._claimed: list[str] = []  # groups claimed, not yet handed to `take_over`
        # Groups taken over before their keys were known (`take_over_early`), and how `claim`
        # settled them: for good, or mistaken (their files to be removed, then written again).
        self._early: set[str] = set()
        self._early_taking: TakeOver | None = None
        self._kept_early: set[str] = set()

    def key(self, *parts: str) -> str:
        """The key of a group: the salt and every other input, said as text."""
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()

    def reuse(self, group: str, key: str, staged: Path) -> Record | None:
        """Move or link the files of ``group`` into ``staged`` if they were made from ``key``."""
        record = self.previous.get(group)
        if record is None or record.key != key:
            return None
        if not self._take(record, str(staged)):
            return None  # edited or removed since: write it again
        self.current[group] = record
        return record

    def claim(self, group: str, key: str, facts: type = object) -> Record | None:
        """The record of ``group`` if its files were made from ``key`` (and it keeps ``facts``
        of that type): they are to be taken over by the next `take_over` — or are being, if
        taken over early (`take_over_early`); one taken early for nothing is `mistaken`."""
        record = self.previous.get(group)
        if record is None or record.key != key or not isinstance(record.facts, facts):
            return None
        if group in self._early:
            self._kept_early.add(group)
        else:
            self._claimed.append(group)
        self.current[group] = record
        return record

    def mistaken(self, group: str) -> bool:
        """Whether ``group`` was taken over early and not claimed: written only after
        `settle_early` (its old files are being moved where the new ones go)."""
        return group in self._early and group not in self._kept_early

    def take_over_early(self, groups: Sequence[str], staged: Path) -> None:
        """Start taking ``groups`` over into ``staged`` before their keys are known — those
        most likely unchanged —, so that it runs beside the work that makes the keys (taken
        once the keys were known, 10,000 documents' folders kept the build waiting 0.15–0.19 s)."""
        early = [group for group in groups if group in self.previous]
        self._early = set(early)
        self._early_taking = self._start_taking([(group, self.previous[group]) for group in early], str(staged))

    def settle_early(self, staged: Path) -> list[str]:
        """Wait for the groups taken over early; remove the files of the mistaken ones from
        ``staged``. The groups to write again: those not taken (edited or removed since)
        and the mistaken."""
        if self._early_taking is None:
            return []
        failed = set(self._early_taking.failed())
        self._early_taking = None
        mistaken = self._early - self._kept_early
        for group in sorted(mistaken - failed):
            _remove(self.previous[group], str(staged))
        for group in failed & self._kept_early:
            del self.current[group]  # recorded anew as it is written
        self._early = self._kept_early = set()
        return sorted(failed | mistaken)

    def wait_early(self) -> None:
        """Let the early taking end, when the build stops before its output is published."""
        if self._early_taking is not None:
            self._early_taking.wait()

    def take_over(self, staged: Path) -> TakeOver:
        """Start taking the files of the groups claimed into ``staged``, as `reuse` does: in a
        process forked for it when there are many (and processes are forked, as on Linux,
        and this one runs no other thread), else here and now. `TakeOver.failed` says which
        could not be (edited or removed since): they must be written again and recorded."""
        claimed, self._claimed = self._claimed, []
        return self._start_taking([(group, self.current[group]) for group in claimed], str(staged))

    def _start_taking(self, records: Sequence[tuple[str, Record]], into: str) -> TakeOver:
        if len(records) >= APART_FROM and _may_fork():
            import multiprocessing  # 15 ms: paid only for many groups

            context = multiprocessing.get_context("fork")
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=self._take_in_child, args=(records, into, sending), daemon=True)
            try:
                process.start()
            except OSError:  # no process to be had (memory, limits): here, then
                receiving.close()
            else:
                return TakeOver(None, process, receiving)
            finally:
                sending.close()
        return TakeOver([group for group, record in records if not self._take(record, into)])

    def _take_in_child(self, records: Sequence[tuple[str, Record]], into: str, sending: Connection) -> None:
        sending.send([group for group, record in records if not self._take(record, into)])

    def _take(self, record: Record, into: str) -> bool:
        return self._move_from_spare(record, into) or self._link_published(record, into)

    def _move_from_spare(self, record: Record, into: str) -> bool:
        if self.spare is None or not _stamps_hold(str(self.spare), record):
            return False
        spare = str(self.spare)
        if record.folder:
            parents, moves = [record.folder.rpartition("/")[0]], [record.folder]
        else:
            parents, moves = record.folders, list(record.names)
        moved: list[str] = []
        try:
            for folder in parents:
                if folder:
                    _make_folder(f"{into}/{folder}")
            for name in moves:
                os.rename(f"{spare}/{name}", f"{into}/{name}")
                moved.append(f"{into}/{name}")
        except OSError:  # the spare changed meanwhile: link or write instead
            for path in moved:
                if os.path.isdir(path):
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
            return False
        return True

    def _link_published(self, record: Record, into: str) -> bool:
        published = str(self.published)
        if not _stamps_hold(published, record):
            return False
        linked: list[str] = []
        try:
            for folder in record.folders:
                _make_folder(f"{into}/{folder}")
            for name in record.names:
                os.link(f"{published}/{name}", f"{into}/{name}")
                linked.append(f"{into}/{name}")
        except OSError:  # another file system, or links refused: write it again
            for path in linked:
                os.unlink(path)
            return False
        return True

    def record(self, group: str, key: str, files: Sequence[str], facts: object = None, folder: str = "") -> None:
        """Remember what the freshly made ``files`` (paths in the output folder) of ``group`` were
        made from; ``folder``, if the group owns one: the files are all it holds. They are
        stamped where they are published, when this build's records are saved: written by
        then, in this process or in others."""
        self._written[group] = (key, tuple(sorted(files)), facts, folder)

    def save(self) -> None:
        """Write this build's records, once its output is published; a memo not written costs time only."""
        assert not self._claimed, "groups claimed are taken over before the output is published"
        assert self._early_taking is None, "groups taken over early are settled before it is published"
        published = str(self.published)
        for group, (key, names, facts, folder) in self._written.items():
            self.current[group] = Record(key, names, _stamps(published, names), facts, folder)
        self._written = {}
        self.store.put_many(
            (group, record)
            for group, record in self.current.items()
            if self.previous.get(group) is not record  # a linked group's record holds as it is
        )
        self.store.delete(group for group in self.previous if group not in self.current)
        self.store.close()


class TakeOver:
    """Groups' files being taken over (`LinkMemo.take_over`), here or in another process."""

    def __init__(self, failed: list[str] | None, process: BaseProcess | None = None,
                 receiving: Connection | None = None) -> None:  # fmt: skip
        self._failed = failed
        self._process = process
        self._receiving = receiving

    def failed(self) -> list[str]:
        """Once every group is taken over, or not: those that were not (their records are
        replaced as they are written again)."""
        if self._failed is None:
            assert self._process is not None and self._receiving is not None
            try:
                self._failed = self._receiving.recv()
            except EOFError:  # the process died: which files it moved is unknown
                raise RuntimeError("the process taking the unchanged files over ended without a word") from None
            finally:
                self._receiving.close()
                self._process.join()
        return self._failed

    def wait(self) -> None:
        """Let the process end, when the build stops before its output is published."""
        if self._process is not None:
            if self._receiving is not None:
                self._receiving.close()
            self._process.join()


# Groups taken over in a process of their own from this many (~25 µs each here): fewer
# take less time than starting the process does (at 1,000 documents, a take-over of 1,000
# TEI files and one of 1,000 folders, a one-change rebuild was 0.03 s slower forked, an
# unchanged one no faster).
APART_FROM = 2500


def _may_fork() -> bool:
    """Whether forking this process is how processes start here and safe: no other thread
    holds a lock the child might need (Python 3.12 warns of forking with threads)."""
    import multiprocessing
    import threading

    return multiprocessing.get_start_method() == "fork" and threading.active_count() == 1


def _remove(record: Record, into: str) -> None:
    """Remove a group's files taken over into ``into`` (its folder, if it owns one)."""
    if record.folder:
        shutil.rmtree(f"{into}/{record.folder}")
        return
    for name in record.names:
        os.unlink(f"{into}/{name}")


def _stamps_hold(folder: str, record: Record) -> bool:
    """Whether ``folder`` holds the very files ``record`` describes (plain strings and a plain
    loop: ten thousand documents are sixty thousand files here)."""
    stat = os.stat
    try:
        for name, (inode, size, mtime) in zip(record.names, STAMP.iter_unpack(record.stamps), strict=True):
            status = stat(f"{folder}/{name}")
            if status.st_ino != inode or status.st_size != size or status.st_mtime_ns != mtime:
                return False
    except OSError:
        return False
    return True


def _stamps(folder: str, names: Sequence[str]) -> bytes:
    return b"".join(STAMP.pack(*_packable(file_stamp(f"{folder}/{name}"))) for name in names)


def _packable(stamp: tuple[int, int, int]) -> tuple[int, int, int]:
    """A missing file's stamp (all -1) with an inode `STAMP` can pack: its size, -1, matches no file."""
    inode, size, mtime = stamp
    return max(inode, 0), size, mtime


def _make_folder(path: str) -> None:
    """Make a folder (its parents too, when missing) unless it is there."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)
