"""Resolve overlapping annotations by detector priority so that the survivors nest.

Two annotations may nest (one inside the other) but not cross. An annotation
that *consumes* its span — a page marker or a note marker, replaced in the TEI
by an element — can hold nothing inside it. Where two conflict, the one from
the higher-priority detector stays; the other is returned as dropped, so a
report can say what was set aside.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from edition.annotations import Annotation

CONSUMING_KINDS = frozenset({"pb", "note"})


def resolve(ranked: Iterable[tuple[int, Annotation]]) -> tuple[list[Annotation], list[Annotation]]:
    """Return (kept, dropped) from ``(priority, annotation)`` pairs; kept is in document order.

    Among equal priorities, earlier and longer annotations win, so the result does
    not depend on the order detectors returned them in.
    """
    order = sorted(ranked, key=lambda pa: (-pa[0], pa[1].start, -pa[1].end, pa[1].kind))
    kept: list[Annotation] = []
    by_start: list[tuple[int, int]] = []  # (start, index into kept), sorted: a look-up by place
    longest = 0
    dropped: list[Annotation] = []
    for _, candidate in order:
        # Only a kept annotation that overlaps or touches the candidate can conflict with it,
        # and such one starts no earlier than the longest kept span before it.
        low = bisect.bisect_left(by_start, (candidate.start - longest, -1))
        high = bisect.bisect_right(by_start, (candidate.end, len(kept)))
        if any(_conflict(candidate, kept[i]) for _, i in by_start[low:high]):
            dropped.append(candidate)
            continue
        bisect.insort(by_start, (candidate.start, len(kept)))
        kept.append(candidate)
        longest = max(longest, candidate.end - candidate.start)
    kept.sort(key=document_order)
    return kept, dropped


def document_order(a: Annotation) -> tuple[int, int, int]:
    """Sort key that puts an outer annotation before the ones nested in it."""
    return (a.start, -a.end, 0 if a.kind not in CONSUMING_KINDS else 1)


def _conflict(a: Annotation, b: Annotation) -> bool:
    if a.end <= b.start or b.end <= a.start:
        # Disjoint, or touching; two empty annotations at one point conflict only if identical.
        return a == b
    crossing = (a.start < b.start < a.end < b.end) or (b.start < a.start < b.end < a.end)
    if crossing:
        return True
    if a.start == b.start and a.end == b.end and a.kind == b.kind:
        return True
    inner, outer = (a, b) if b.start <= a.start and a.end <= b.end else (b, a)
    return outer.kind in CONSUMING_KINDS and inner is not outer
