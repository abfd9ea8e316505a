"""Reuse the pages of the previous build where they would come out the same.

A group of pages — a document's folder (its page, TEI copy, citations and plain
texts), the title page with its sorted lists, a person's page — depends on a few
inputs besides the code, the templates and the configuration (the memo's salt):
a document's folder on its TEI, the header facts of its two neighbours (the page
links them by title) and the register entries of the persons it names; the title
pages on every document's header facts; a person's page on the person and their
mentions. `PageMemo.key` hashes them; the published files of an unchanged group
are moved or linked into the new site (`edition.linkmemo`).

The memo also keeps each document's `Digest` by the SHA-256 of its TEI, so
corpus-wide pages are rebuilt from it without parsing unchanged files. A digest's
packed part (`Packed`: the mentions, register entries, interventions) is kept in a
store of its own, read only for the pages written: loading every record stays light.
So are the documents' search pages, for the shards of the search index indexed again.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from edition.linkmemo import LinkMemo
from edition.pickling import ByFields
from edition.render.digest import Digest, Packed
from edition.render.html import UnknownElement
from edition.store import Store

LAYOUT = "pages 5"  # of the memo's records: a memo of another layout is empty


@dataclass(frozen=True, slots=True)
class DocumentFacts(ByFields):
    """What a document's record keeps besides its files: its TEI's hash and digest, its warnings."""

    tei_sha: str
    digest: Digest
    unknown: tuple[UnknownElement, ...]


def document_group(doc_id: str) -> str:
    """The memo's group of a document's folder on the site."""
    return f"document:{doc_id}"


class PageMemo(LinkMemo):
    """The previous build's records for the site published at ``published``."""

    def __init__(self, file: Path, published: Path, salt: str, spare: Path | None = None) -> None:
        super().__init__(file, published, f"{LAYOUT}\0{salt}", spare)
        # Not kept in memory by `edition serve`: read only for the few pages a rebuild writes.
        self.packs = Store(file.with_name(f"{file.stem}.packs{file.suffix}"), self.salt, kept=False)
        digests = {
            r.facts.tei_sha: r.facts.digest
            for r in self.previous.values()
            if isinstance(r.facts, DocumentFacts)
        }
        apart = self.packs.present(sha for sha, d in digests.items() if d.packed is None)
        # A digest whose packed part is gone is no digest: its TEI is read again.
        self.digests = {sha: d for sha, d in digests.items() if d.packed is not None or sha in apart}
        # The documents' search pages, compressed, read only for a shard indexed again
        # (`edition.render.search_shards`): made anew, a shard's 1,000 took a second. Opened by
        # a build that indexes: one without search neither opens nor prunes it.
        self._search_file = file.with_name(f"{file.stem}.search{file.suffix}")
        self._searches: Store | None = None
        self._searched: set[str] = set()
        # Whether a shard of the search index was left as the last build had it, to index later.
        self.search_behind = False
        # Parts of corpus-wide results by runs of documents (`edition.render.runs`), a store
        # for each kind opened when first asked, and the keys this build asked for.
        self._parts: dict[str, Store] = {}
        self._parts_asked: dict[str, set[str]] = {}

    def take_over_documents(self, documents: Iterable[tuple[str, str]], staged: Path) -> None:
        """Start taking over, early, the folders of the documents ((id, TEI SHA-256)) whose TEI
        is the one recorded: their keys need every document's digest and the persons first."""
        groups = []
        for doc_id, sha in documents:
            record = self.previous.get(document_group(doc_id))
            if record is not None and isinstance(record.facts, DocumentFacts) and record.facts.tei_sha == sha:
                groups.append(document_group(doc_id))
        self.take_over_early(groups, staged)

    def keep_packs(self, packs: Sequence[tuple[str, Packed]]) -> bool:
        """Store the packed parts of digests by their TEI's SHA-256; False if they could not be."""
        return self.packs.put_many(packs)

    def packed(self, shas: Sequence[str]) -> Mapping[str, Packed]:
        """The packed parts stored under ``shas`` (`edition.render.digest.PackStore`)."""
        return self.packs.get_many(shas)

    def for_another_process(self) -> PackReader:
        return PackReader.anew(self.packs)

    @property
    def searches(self) -> Store:
        if self._searches is None:
            self._searches = Store(self._search_file, self.salt, kept=False)
        return self._searches

    def search_pages(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The search pages stored under ``keys``, as far as stored and readable."""
        found = {}
        for key, packed in self.searches.get_many(keys).items():
            with contextlib.suppress(zlib.error, TypeError):
                found[key] = zlib.decompress(packed)
        return found

    def keep_search_pages(self, pages: Sequence[tuple[str, bytes]]) -> None:
        self.searches.put_many((key, zlib.compress(html, 1)) for key, html in pages)

    def parts(self, kind: str, keys: Sequence[str]) -> Mapping[str, object]:
        """The parts of ``kind`` stored under ``keys`` (`edition.render.runs`); those asked for
        are the ones kept when the memo is saved."""
        store = self._parts.get(kind)
        if store is None:
            file = self.store.file
            store = self._parts[kind] = Store(file.with_name(f"{file.stem}.{kind}{file.suffix}"), self.salt, kept=False)
        self._parts_asked.setdefault(kind, set()).update(keys)
        return store.get_many(keys)

    def keep_parts(self, kind: str, parts: Sequence[tuple[str, object]]) -> None:
        self._parts[kind].put_many(parts)

    def searching(self, keys: Iterable[str]) -> None:
        """Note the search pages of this build's documents: those the memo keeps when saved."""
        self._searched.update(keys)

    def save(self) -> None:
        super().save()
        self.packs.keep_only({r.facts.tei_sha for r in self.current.values() if isinstance(r.facts, DocumentFacts)})
        self.packs.close()
        if self._searches is not None:
            self._searches.keep_only(self._searched)
            self._searches.close()
        for kind, store in self._parts.items():
            store.keep_only(self._parts_asked[kind])
            store.close()


class PackReader:
    """The packed parts of the page memo, read in another process (`PageMemo.for_another_process`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def anew(cls, store: Store) -> PackReader:
        """A reader of ``store``'s file through a connection of this process's own."""
        return cls(Store(store.file, store.salt, kept=False))

    def packed(self, shas: Sequence[str]) -> Mapping[str, Packed]:
        return self.store.get_many(shas)

    def for_another_process(self) -> PackReader:
        return PackReader.anew(self.store)
