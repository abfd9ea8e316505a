"""Runs of documents cut where their ids say, not by position: what a few pages show each.

The search index's shards (`edition.render.search_shards`) and a person's pages of
mentions (`edition.render.person_pages`) each show a run of documents in the edition's
order. Cut every ``size`` documents, a document inserted or removed near the start
shifted every run after it, and every one was made again. Cut here, a run ends after a
document whose id hashes to a cut — one in ``size // 4`` — once it holds ``3 * size // 4``
documents, or at ``3 * size // 2``: a document inserted or removed changes its own run,
and, where it adds or removes a cut, the runs after it until a cut lands where one was
(content-defined chunking, as rsync and backup tools cut files).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def cut_runs(items: Sequence[T], size: int, doc_id: Callable[[T], str]) -> list[Sequence[T]]:
    """``items`` in runs of ``size`` on average, cut after the items whose ``doc_id`` says so."""
    least, one_in, most = max(3 * size // 4, 1), max(size // 4, 1), max(3 * size // 2, 1)
    runs: list[Sequence[T]] = []
    start = 0
    for index, item in enumerate(items):
        held = index + 1 - start
        if held >= most or (held >= least and ends_run(doc_id(item), one_in)):
            runs.append(items[start : index + 1])
            start = index + 1
    if start < len(items):
        runs.append(items[start:])
    return runs


@functools.lru_cache(maxsize=1 << 16)  # each person's pages ask again of the documents naming them
def ends_run(doc_id: str, one_in: int) -> bool:
    """Whether a run may end after the document ``doc_id``: one id in ``one_in``, the same on
    every machine and run (not Python's salted ``hash``)."""
    digest = hashlib.blake2b(doc_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % one_in == 0
