"""Reuse the pages of the previous build where they would come out the same.

A group of pages — a document's folder (its page, TEI copy, citations and plain
texts), the title page with its sorted lists, a person's page — depends on a few
inputs besides the code, the templates and the configuration (the memo's salt):
a document's folder on its TEI, the header facts of its two neighbours (the page
links them by title) and the register entries of the persons it names; the title
pages on every document's header facts; a person's page on the person and their
mentions. `PageMemo.key` hashes them. When the key is the one the previous build
recorded, and the published files are still the ones it wrote (same inode, size
and modification time), they are hard-linked into the new site instead of
rendered again: the old site is never touched, so a killed build still leaves
it whole, and the new one costs a link per file.

The memo also keeps each document's `Digest` by the SHA-256 of its TEI, so
corpus-wide pages are rebuilt from it without parsing unchanged files. It lives
in the user's cache folder, a store per site (`edition.store`): a build rewrites
only the records that changed; an unreadable memo is empty.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from edition.render.digest import Digest
from edition.render.html import UnknownElement
from edition.store import Store

FileStamp = tuple[str, int, int, int]  # (path in the site, inode, size, mtime in ns)
LAYOUT = "pages 3"  # of the memo's records: a memo of another layout is empty


@dataclass(frozen=True)
class DocumentFacts:
    """What a document's record keeps besides its files: its TEI's hash and digest, its warnings."""

    tei_sha: str
    digest: Digest
    unknown: tuple[UnknownElement, ...]


@dataclass(frozen=True)
class Record:
    """What a group of pages (a document's folder, the title pages, a person's page) was made from."""

    key: str
    files: tuple[FileStamp, ...]
    facts: DocumentFacts | None = None


class PageMemo:
    """The previous build's records for the site published at ``published``."""

    def __init__(self, file: Path, published: Path, salt: str) -> None:
        self.published = published
        self.salt = salt  # code, templates and configuration: any change re-renders every page
        self.store = Store(file, f"{LAYOUT}\0{salt}")
        self.previous: dict[str, Record] = {
            group: record for group, record in self.store.items() if isinstance(record, Record)
        }
        self.digests = {
            r.facts.tei_sha: r.facts.digest for r in self.previous.values() if r.facts is not None
        }
        self.current: dict[str, Record] = {}

    def key(self, *parts: str) -> str:
        """The key of a group of pages: the salt and every other input, said as text (``repr``)."""
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()

    def reuse(self, group: str, key: str, site_dir: Path) -> Record | None:
        """Link the published files of ``group`` into ``site_dir`` if they were made from ``key``."""
        record = self.previous.get(group)
        if record is None or record.key != key:
            return None
        # Plain strings, not Paths: ten thousand documents are sixty thousand files here.
        published, staged = str(self.published), str(site_dir)
        if not all(_stamp(f"{published}/{name}") == (inode, size, mtime)
                   for name, inode, size, mtime in record.files):  # fmt: skip
            return None  # edited or removed since: render it again
        linked: list[str] = []
        try:
            for folder in sorted({os.path.dirname(name) for name, *_ in record.files} - {""}):
                os.makedirs(f"{staged}/{folder}", exist_ok=True)
            for name, *_ in record.files:
                os.link(f"{published}/{name}", f"{staged}/{name}")
                linked.append(f"{staged}/{name}")
        except OSError:  # another file system, or links refused: render it again
            for path in linked:
                os.unlink(path)
            return None
        self.current[group] = record
        return record

    def record(self, group: str, key: str, site_dir: Path, files: Sequence[str],
               facts: DocumentFacts | None = None) -> None:  # fmt: skip
        """Remember what the freshly written ``files`` (paths in the site) of ``group`` were made from."""
        stamps = tuple((name, *_stamp(f"{site_dir}/{name}")) for name in sorted(files))
        self.current[group] = Record(key, stamps, facts)

    def save(self) -> None:
        """Write this build's records, once its site is published; a memo not written costs time only."""
        self.store.put_many(
            (group, record)
            for group, record in self.current.items()
            if self.previous.get(group) is not record  # a linked group's record holds as it is
        )
        self.store.delete(group for group in self.previous if group not in self.current)
        self.store.close()


def _stamp(path: str) -> tuple[int, int, int]:
    """(inode, size, mtime in ns) of a file; all -1 when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    return (status.st_ino, status.st_size, status.st_mtime_ns)
