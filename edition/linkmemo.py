"""Reuse output files of the previous build by hard link where they would come out the same.

A build writes its output into a fresh folder and swaps it in (`edition.atomic`).
Most of it is what the published folder holds already: a group of files (a
document's TEI file; a document's folder on the site) depends on a few inputs,
which a key hashes. When the key is the one the previous build recorded for the
group, and the published files are still the ones it wrote (same inode, size and
modification time), they are hard-linked into the new folder instead of written
again: the published folder is never touched, so a killed build still leaves it
whole, and the new one costs a link per file.

The records live in the user's cache folder, a store per output folder
(`edition.store`): a build rewrites only the records that changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from edition.store import Store, file_stamp

FileStamp = tuple[str, int, int, int]  # (path in the folder, inode, size, mtime in ns)


@dataclass(frozen=True)
class Record:
    """What a group of files was made from, and the files as written."""

    key: str
    files: tuple[FileStamp, ...]
    facts: object = None  # what else the owner keeps of the group (`edition.render.memo`)

    @property
    def folders(self) -> list[str]:
        """The folders the files are in, parents first ("" is the output folder itself)."""
        return sorted({name.rpartition("/")[0] for name, *_ in self.files} - {""})


class LinkMemo:
    """The previous build's records for the output folder published at ``published``."""

    def __init__(self, file: Path, published: Path, salt: str) -> None:
        self.published = published
        self.salt = salt  # what every group depends on: any change makes every group anew
        self.store = Store(file, salt)
        self.previous: dict[str, Record] = {
            group: record for group, record in self.store.items() if isinstance(record, Record)
        }
        self.current: dict[str, Record] = {}

    def key(self, *parts: str) -> str:
        """The key of a group: the salt and every other input, said as text."""
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()

    def reuse(self, group: str, key: str, staged: Path) -> Record | None:
        """Link the published files of ``group`` into ``staged`` if they were made from ``key``."""
        record = self.previous.get(group)
        if record is None or record.key != key:
            return None
        # Plain strings and a plain loop: ten thousand documents are sixty thousand files here.
        published, into = str(self.published), str(staged)
        for name, *stamp in record.files:
            if file_stamp(f"{published}/{name}") != tuple(stamp):
                return None  # edited or removed since: write it again
        linked: list[str] = []
        try:
            for folder in record.folders:
                _make_folder(f"{into}/{folder}")
            for name, *_ in record.files:
                os.link(f"{published}/{name}", f"{into}/{name}")
                linked.append(f"{into}/{name}")
        except OSError:  # another file system, or links refused: write it again
            for path in linked:
                os.unlink(path)
            return None
        self.current[group] = record
        return record

    def record(self, group: str, key: str, staged: Path, files: Sequence[str],
               facts: object = None) -> None:  # fmt: skip
        """Remember what the freshly written ``files`` (paths in the folder) of ``group`` were made from."""
        stamps = tuple((name, *file_stamp(f"{staged}/{name}")) for name in sorted(files))
        self.current[group] = Record(key, stamps, facts)

    def save(self) -> None:
        """Write this build's records, once its output is published; a memo not written costs time only."""
        self.store.put_many(
            (group, record)
            for group, record in self.current.items()
            if self.previous.get(group) is not record  # a linked group's record holds as it is
        )
        self.store.delete(group for group in self.previous if group not in self.current)
        self.store.close()


def _make_folder(path: str) -> None:
    """Make a folder (its parents too, when missing) unless it is there."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)
