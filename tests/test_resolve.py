"""Resolving overlapping annotations by priority so that the survivors nest."""

from __future__ import annotations

from edition.annotations import Annotation
from edition.resolve import resolve


def a(start: int, end: int, kind: str = "persName") -> Annotation:
    return Annotation(start, end, kind)


def test_crossing_annotations_keep_the_higher_priority() -> None:
    kept, dropped = resolve([(10, a(0, 5)), (50, a(3, 8, "sic"))])
    assert kept == [a(3, 8, "sic")]
    assert dropped == [a(0, 5)]


def test_nested_annotations_both_stay_outer_first() -> None:
    kept, _ = resolve([(10, a(2, 4, "sic")), (20, a(0, 8))])
    assert kept == [a(0, 8), a(2, 4, "sic")]


def test_nothing_may_nest_inside_a_page_marker() -> None:
    kept, dropped = resolve([(100, a(0, 10, "pb")), (10, a(1, 5))])
    assert kept == [a(0, 10, "pb")]
    assert dropped == [a(1, 5)]


def test_a_name_may_contain_a_page_marker() -> None:
    kept, _ = resolve([(100, a(4, 14, "pb")), (10, a(0, 20))])
    assert kept == [a(0, 20), a(4, 14, "pb")]


def test_the_same_span_and_kind_twice_is_kept_once() -> None:
    kept, dropped = resolve([(10, a(0, 5)), (10, a(0, 5))])
    assert kept == [a(0, 5)] and dropped == [a(0, 5)]


def test_result_does_not_depend_on_input_order() -> None:
    items = [(10, a(0, 5)), (10, a(3, 8)), (20, a(6, 9, "sic")), (5, a(0, 9))]
    assert resolve(items) == resolve(list(reversed(items)))


def test_touching_annotations_do_not_conflict() -> None:
    kept, _ = resolve([(10, a(0, 5)), (10, a(5, 9)), (10, a(5, 5, "note"))])
    assert len(kept) == 3
