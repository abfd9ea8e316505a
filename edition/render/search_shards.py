"""The search index rebuilt shard by shard: a shard whose documents did not change is taken over.

Pagefind indexes the documents in shards of `SHARD_SIZE` (`edition.render.search`), and
every build indexed every shard anew: with search on, as `edition build` and `edition
serve` have it by default, a one-word change in a 1,000-document edition took 4.5–6 s
(Pagefind's 3 s of CPU, 340 MB) where the rest of the build took 0.7 s and 62 MB; at
10,000 documents, some 35 s and 830 MB.

A shard's bundle is made from its documents' search pages — each from the document's
TEI and the persons it is filtered by —, the language forced on them and the Pagefind
binary, by the code the page memo's salt names (`edition.render.memo`). The shard's key
hashes them, the TEI by its SHA-256, so the search pages of a shard that is taken over
are not even made; a shard whose key the previous build recorded is taken over whole
(`edition.linkmemo`: its folder moved from the spare, or its files linked), the others
indexed anew, two Pagefind runs at a time. A shard indexed anew takes the search pages of
its unchanged documents from the page memo (`PageMemo.search_pages`): made again from
their TEI, a shard's thousand took a second.

A process that builds on every save (`edition serve`) may index *later*: a shard to index
again keeps its bundle of the last build for now, recorded as it was, and the next build
that does not put it off indexes it — the save is on the page without waiting for Pagefind.

Shards are cut where the documents' ids say (`cut_shards`), not by position, and each
bundle is named by its shard's first document: inserting or removing a document changes its
own shard (and, where it adds or removes a cut, the shards after it until a cut lands where
one was), and appending one touches the last shard alone.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from edition.config import EditionConfig
from edition.diagnostics import Diagnostic
from edition.render.cuts import cut_runs
from edition.render.search import (
    SHARD_SIZE,
    SearchPage,
    bundle_path,
    index_shards,
    pagefind_executable,
    unavailable_warning,
)

if TYPE_CHECKING:
    from edition.linkmemo import Record
    from edition.render.memo import PageMemo


@dataclass(frozen=True)
class Searchable:
    """A document as its shard's key sees it, and how to make its search page when indexed."""

    doc_id: str
    sha: str  # of its TEI; "" when unknown: its shard is indexed anew
    persons: tuple[str, ...]  # the persons its page is filtered by
    page: Callable[[], SearchPage]

    @property
    def key(self) -> str:
        """What its search page is made from, besides the code (the memo's salt)."""
        return f"{self.sha}\0{' '.join(self.persons)}"


def index_pages(
    documents: Sequence[Searchable], site_dir: Path, config: EditionConfig, warnings: list[Diagnostic],
    where: str, memo: PageMemo | None = None, later: bool = False,
) -> tuple[str, ...]:  # fmt: skip
    """`index_search` of the edition's documents; the bundles. Without a Pagefind binary
    there is no index: one warning (located at ``where``), no bundles."""
    if not documents:
        return ()
    try:
        return index_search(documents, site_dir, config.language, memo, later=later)
    except FileNotFoundError:
        warnings.append(unavailable_warning(where))
        return ()


def index_search(
    documents: Sequence[Searchable],
    site_dir: Path,
    language: str,
    memo: PageMemo | None = None,
    shard_size: int = 0,
    later: bool = False,
) -> tuple[str, ...]:
    """Index ``documents`` (in the edition's order) into ``site_dir`` in shards of ``shard_size``
    (0: `SHARD_SIZE`), taking over from ``memo`` the shards whose key it recorded; the bundles
    with an index, in order. ``later``: a shard to index again keeps the bundle ``memo`` has
    (as of its old key, so the next build indexes it) and ``memo.search_behind`` says so. Raises
    `FileNotFoundError` without a Pagefind binary, `EditionError` if Pagefind fails."""
    executable = pagefind_executable()
    if executable is None:
        raise FileNotFoundError("no Pagefind binary")
    engine = _engine(executable)
    # Each shard's bundle named by its first document: the shards after a document inserted
    # keep their names, and are taken over.
    shards = {bundle_path(shard[0].doc_id): shard for shard in cut_shards(documents, shard_size or SHARD_SIZE)}
    indexed: dict[str, bool] = {}
    keys: dict[str, str] = {}
    todo: dict[str, list[SearchPage]] = {}
    if memo is not None:
        memo.searching(document.key for document in documents if document.sha)
    for bundle, shard in shards.items():
        if memo is not None and all(document.sha for document in shard):
            keys[bundle] = memo.key(engine, language, "\n".join(f"{d.doc_id}\0{d.key}" for d in shard))
            record = memo.reuse(_group(bundle), keys[bundle], site_dir)
            if record is None and later:
                record = _stale(memo, bundle, site_dir)
            if record is not None:
                indexed[bundle] = bool(record.facts)
                continue
        todo[bundle] = _pages(shard, memo)
    for bundle, run in (index_shards(todo, site_dir, language) if todo else {}).items():
        indexed[bundle] = run is not None
        if memo is not None and bundle in keys:
            folder = bundle.rstrip("/")
            files = _files(site_dir, folder) if run is not None else []
            memo.record(_group(bundle), keys[bundle], files, run is not None, folder=folder if files else "")
    return tuple(bundle for bundle in shards if indexed[bundle])


def cut_shards(documents: Sequence[Searchable], size: int) -> list[Sequence[Searchable]]:
    """``documents`` in shards of ``size`` on average, cut where their ids say (`edition.render.cuts`):
    cut by position, a document inserted at the start indexed all 20 shards of 10,000 documents
    again. The cap (``3 * size // 2``) bounds a Pagefind run's memory (~0.3 MB a page)."""
    return cut_runs(documents, size, operator.attrgetter("doc_id"))


def _pages(shard: Sequence[Searchable], memo: PageMemo | None) -> list[SearchPage]:
    """The search pages of a shard's documents: as the memo stored them, else made (and stored)."""
    stored = memo.search_pages([d.key for d in shard if d.sha]) if memo is not None else {}
    pages, made = [], []
    for document in shard:
        html = stored.get(document.key) if document.sha else None
        if html is None:
            page = document.page()
            if document.sha:
                made.append((document.key, page.html))
        else:
            page = SearchPage(document.doc_id, html)
        pages.append(page)
    if memo is not None and made:
        memo.keep_search_pages(made)
    return pages


def _stale(memo: PageMemo, bundle: str, site_dir: Path) -> Record | None:
    """The shard's bundle as the last build left it, whatever changed since; noted."""
    before = memo.previous.get(_group(bundle))
    record = memo.reuse(_group(bundle), before.key, site_dir) if before is not None else None
    if record is not None:
        memo.search_behind = True
    return record


def _group(bundle: str) -> str:
    return f"search:{bundle}"


def _engine(executable: Path) -> str:
    """The Pagefind binary as a shard's key says it: another version is another file."""
    status = executable.stat()
    return f"{executable.resolve()}\0{status.st_size}\0{status.st_mtime_ns}"


def _files(site_dir: Path, folder: str) -> list[str]:
    """Every file under ``site_dir/folder``, as a path from ``site_dir``."""
    found = []
    for parent, _, names in os.walk(site_dir / folder):
        relative = Path(parent).relative_to(site_dir).as_posix()
        found += [f"{relative}/{name}" for name in names]
    return found
