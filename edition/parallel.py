"""Run the per-document conversion as a map over an executor: serial, local processes, or any other.

The build is a map over documents followed by a reduce over the corpus. This
module is the map: a `Job` names one text and carries its inputs, `convert_job`
turns it into a `Converted` (or the diagnostics that stopped it) and runs in any
`concurrent.futures.Executor`. Everything a worker needs that is shared — the
configuration, the registers, the release date — travels once per worker in
`Shared`, not once per document. Results come back in input order, so a
parallel build writes exactly what a serial one does.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from edition import lexicon
from edition.anchors import parse_lock_text
from edition.config import EditionConfig
from edition.convert import Converted, convert_document
from edition.detectors import Registered, Registers, default_detectors
from edition.diagnostics import Diagnostic, EditionError
from edition.pickling import ByFields
from edition.source import decode_source

T = TypeVar("T")
R = TypeVar("R")

SERIAL_BELOW = 16  # fewer documents than this are not worth starting processes for


@dataclass(frozen=True)
class Shared:
    """What every document's conversion shares."""

    config: EditionConfig
    registers: Registers
    release_date: str


@dataclass(frozen=True)
class Job:
    """One text to convert: its bytes travel with it, so a worker needs no shared disk."""

    name: str
    display: str
    data: bytes
    lock_lines: bytes = b""  # its lines of the anchors lock, as UTF-8 (`edition.anchors.lock_text`)
    sha: str = ""  # SHA-256 of the text (hex), when known: ``data`` may then be left empty
    # `edition.lockfile.lines_digest` of its lock lines, when known: ``lock_lines`` may then
    # be left empty until the text is converted after all.
    lock_digest: bytes = b""
    # A hash of the corrections that may hold in it (`edition.corrections.Corrections.found_in`):
    # the conversion depends on those alone.
    corrections: str = ""


@dataclass(frozen=True, slots=True)
class Outcome(ByFields):
    converted: Converted | None
    diagnostics: tuple[Diagnostic, ...]  # reading problems; conversion's own are in converted


_shared: Shared | None = None
_detectors: tuple[Registered, ...] = ()


# The collector's first generation is collected after this many new objects, not 700. A
# build makes millions of objects that live to its end (lock lines, digests, word lists);
# at Python's default pace, collections walking them took a quarter of an unchanged
# 10,000-document rebuild (10.0 s → 7.6 s). Its data has no cycles to speak of.
FEWER_COLLECTIONS = (100_000, 50, 100)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage at the pace of a program with many long-lived objects, then as before."""
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _start_worker(shared: Shared, many: bool = True) -> None:
    """Ready this process to convert: ``many`` documents, or a few (`lexicon.hold_english_whole`)."""
    global _shared, _detectors
    _shared, _detectors = shared, default_detectors()
    if many:
        lexicon.hold_english_whole()


def convert_job(job: Job, shared: Shared | None = None) -> Outcome:
    """Decode and convert one text; never raises for bad input (its diagnostics come back)."""
    shared = shared or _shared
    assert shared is not None, "convert_job runs in a worker started by convert_jobs"
    detectors = _detectors or default_detectors()
    try:
        source, found = decode_source(job.data, job.display)
    except EditionError as problem:
        return Outcome(None, problem.diagnostics)
    converted = convert_document(source, job.name, shared.config, detectors,
                                 shared.release_date, shared.registers,
                                 parse_lock_text(job.lock_lines))  # fmt: skip
    # A build has no use for the editor's review items (`edition review` converts on its
    # own): not sent back, cached or held — 30 MB at 10,000 documents.
    return Outcome(replace(converted, review=()), tuple(found))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def convert_jobs(
    jobs: Iterable[Job], shared: Shared, workers: int = 0, executor: Executor | None = None,
    count: int | None = None,
) -> Iterator[Outcome]:  # fmt: skip
    """Convert ``jobs`` in order: in this process, in ``workers`` processes, or on ``executor``.

    ``workers=0`` means all cores; small editions run in this process whatever is asked.
    ``jobs`` may be lazy, ``count`` long (else it is sized): each is drawn when a worker
    is about to need it (`map_in_order`).
    """
    if executor is not None:
        yield from executor.map(convert_job, jobs, itertools.repeat(shared))
        return
    total = len(jobs) if count is None else count  # type: ignore[arg-type]
    workers = workers or default_jobs()
    many = total >= SERIAL_BELOW
    yield from map_in_order(convert_job, jobs, workers if on_workers(total, workers) else 1, _start_worker,
                            (shared, many), total)  # fmt: skip


def on_workers(count: int, workers: int = 0) -> bool:
    """Whether `convert_jobs` converts ``count`` texts in ``workers`` processes (0: all cores),
    not in this one."""
    return (workers or default_jobs()) > 1 and count >= SERIAL_BELOW


# Items sent to a worker at once: big enough that the hand-over costs little beside a
# document's conversion (~10 ms), small enough that the batches in flight (`AHEAD` a
# worker) hold a few MB — every item handed over at once held ~70 MB at 10,000 documents.
MOST_AT_ONCE = 128
AHEAD = 4  # batches in flight per worker: a worker never waits while this process is busy


def map_in_order(
    function: Callable[[T], R], items: Iterable[T], workers: int = 1,
    initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
    count: int | None = None,
) -> Iterator[R]:  # fmt: skip
    """``function`` over ``items`` in ``workers`` processes (0: all cores), results in order.

    ``items`` are drawn as the workers take them — `AHEAD` batches a worker ahead, not all
    at once — so a lazy iterable (``count`` items long; else ``items`` is sized) is never
    all in memory, nor are the results not yet asked for.
    """
    workers = workers or default_jobs()
    if workers == 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, items)
        return
    # Imported here: multiprocessing takes 15 ms, which a one-document rebuild need not pay.
    from concurrent.futures import Future, ProcessPoolExecutor

    total = len(items) if count is None else count  # type: ignore[arg-type]
    # A few batches per worker even out slow items.
    size = max(1, min(MOST_AT_ONCE, total // (workers * 8)))
    batches = _batched(iter(items), size)
    pending: deque[Future[list[R]]] = deque()
    with ProcessPoolExecutor(workers, initializer=_start_mapper, initargs=(initializer, initargs)) as pool:
        try:
            for batch in itertools.islice(batches, AHEAD * workers):
                pending.append(pool.submit(_map_batch, function, batch))
            while pending:
                done = pending.popleft().result()
                for batch in itertools.islice(batches, 1):  # the worker freed takes the next
                    pending.append(pool.submit(_map_batch, function, batch))
                yield from done
        finally:
            for future in pending:  # stopped early: what has not started need not run
                future.cancel()


def _batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def _map_batch(function: Callable[[T], R], batch: list[T]) -> list[R]:
    return [function(item) for item in batch]


def _start_mapper(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker process of our own: it lives for the build, at the build's pace of collection."""
    gc.set_threshold(*FEWER_COLLECTIONS)
    if initializer is not None:
        initializer(*initargs)
