"""Corpus-wide results summed over runs of documents, each run's part kept by the page memo.

The principles page and the persons the documents describe are each a sum over every
document in the edition's order. Made whole, a document added or removed had every
document's packed details unpacked again: at 10,000 documents 0.5 s for the principles
and 0.4 s for the persons. Made by runs of about `RUN_DOCUMENTS` documents, cut where
their ids say (`edition.render.cuts`), each run's part is kept by the memo under its
documents' ids and keys: a change makes its run's part again (and, where it moves a cut,
the next few), the other parts are read back, and the parts are summed in order.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from edition.render.cuts import cut_runs

if TYPE_CHECKING:
    from edition.render.memo import PageMemo

RUN_DOCUMENTS = 50  # a part unpacks this many documents' details, on average; 200 parts at 10,000

T = TypeVar("T")


def by_runs(memo: PageMemo | None, kind: str, documents: Sequence[tuple[str, str]],
            make: Callable[[list[str]], T], of: type[T]) -> list[T]:  # fmt: skip
    """``make``'s part of each run of ``documents`` ((id, key): what the part takes from the
    document, hashed), in order — or the part ``memo`` keeps for a run of the same documents
    and keys. ``of``: the parts' type (a stored value of another is made anew)."""
    runs = cut_runs(documents, RUN_DOCUMENTS, operator.itemgetter(0))
    ids = [[doc_id for doc_id, _ in run] for run in runs]
    if memo is None:
        return [make(run) for run in ids]
    keys = [memo.key(kind, *(f"{doc_id}\0{key}" for doc_id, key in run)) for run in runs]
    stored = memo.parts(kind, keys)
    parts: list[T] = []
    made: list[tuple[str, object]] = []
    for key, run in zip(keys, ids, strict=True):
        part = stored.get(key)
        if not isinstance(part, of):
            part = make(run)
            made.append((key, part))
        parts.append(part)
    if made:
        memo.keep_parts(kind, made)
    return parts
