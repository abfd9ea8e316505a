"""Reuse the pages of the previous build for documents whose page would come out the same.

A document's folder on the site (its page, TEI copy, citations and plain texts)
depends on its TEI, the header facts of its two neighbours (the page links them
by title), the register entries of the persons it names, the configuration, the
templates and the code. `PageMemo.page_key` hashes all of them. When the key is
the one the previous build recorded, and the published files are still the
ones it wrote (same inode, size and modification time), they are hard-linked
into the new site instead of rendered again: the old site is never touched, so
a killed build still leaves it whole, and the new one costs a link per file.

The memo also keeps each document's `Digest` by the SHA-256 of its TEI, so
corpus-wide pages are rebuilt from it without parsing unchanged files. It lives
in the user's cache folder, one file per site; an unreadable memo is empty.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from edition.render.digest import Digest
from edition.render.html import UnknownElement

FileStamp = tuple[str, int, int, int]  # (name, inode, size, mtime in ns)
VERSION = 1  # of the memo's layout: a memo of another version is empty


@dataclass(frozen=True)
class PageRecord:
    """What one document's folder was made from, and the files it holds."""

    tei_sha: str
    digest: Digest
    key: str
    files: tuple[FileStamp, ...]
    unknown: tuple[UnknownElement, ...]


class PageMemo:
    """The previous build's page records for the site published at ``published``."""

    def __init__(self, file: Path, published: Path, salt: str) -> None:
        self.file = file
        self.published = published
        self.salt = salt  # code, templates and configuration: any change re-renders every page
        self.previous: dict[str, PageRecord] = self._load()
        self.digests = {record.tei_sha: record.digest for record in self.previous.values()}
        self.current: dict[str, PageRecord] = {}

    def _load(self) -> dict[str, PageRecord]:
        try:
            with open(self.file, "rb") as stream:
                version, salt, records = pickle.load(stream)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return {}
        if version != VERSION or salt != self.salt or not isinstance(records, dict):
            return {}
        return records

    def page_key(self, tei_sha: str, *parts: object) -> str:
        """The key of a document's folder: its TEI and every other input, by ``repr``."""
        digest = hashlib.sha256(f"{self.salt}\0{tei_sha}".encode())
        for part in parts:
            digest.update(b"\0" + repr(part).encode())
        return digest.hexdigest()

    def reuse(self, doc_id: str, key: str, site_dir: Path) -> PageRecord | None:
        """Link the published folder of ``doc_id`` into ``site_dir`` if it was made from ``key``."""
        record = self.previous.get(doc_id)
        if record is None or record.key != key:
            return None
        source, target = self.published / doc_id, site_dir / doc_id
        if not all(_stamp(source / name) == (inode, size, mtime) for name, inode, size, mtime in record.files):
            return None  # edited or removed since: render it again
        target.mkdir(parents=True, exist_ok=True)
        try:
            for name, *_ in record.files:
                os.link(source / name, target / name)
        except OSError:  # another file system, or links refused: render it again
            for name, *_ in record.files:
                (target / name).unlink(missing_ok=True)
            return None
        self.current[doc_id] = record
        return record

    def record(self, doc_id: str, tei_sha: str, digest: Digest, key: str, site_dir: Path,
               unknown: Sequence[UnknownElement]) -> None:  # fmt: skip
        """Remember what the freshly written folder of ``doc_id`` was made from."""
        folder = site_dir / doc_id
        files = tuple((path.name, *_stamp(path)) for path in sorted(folder.iterdir()))

        self.current[doc_id] = PageRecord(tei_sha, digest, key, files, tuple(unknown))

    def save(self) -> None:
        """Write this build's records, once its site is published; a memo not written costs time only."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_name(f"{self.file.name}.{os.getpid()}.part")
            partial.write_bytes(
                pickle.dumps((VERSION, self.salt, self.current), protocol=pickle.HIGHEST_PROTOCOL)
            )
            partial.replace(self.file)
        except OSError:
            return


def _stamp(path: Path) -> tuple[int, int, int]:
    """(inode, size, mtime in ns) of a file; all -1 when it is not there."""
    try:
        status = path.stat()
    except OSError:
        return (-1, -1, -1)
    return (status.st_ino, status.st_size, status.st_mtime_ns)
