"""How diagnostics reach the user: errors in full and in order, warnings grouped by code."""

from __future__ import annotations

from edition.diagnostics import error, format_report, warning


def test_errors_come_in_full_ordered_by_file_line_and_column_once_each() -> None:
    found = [
        error("texts/b.txt", 2, 1, "second", "x.b"),
        error("texts/a.txt", 10, 4, "later line", "x.a"),
        error("texts/a.txt", 9, 30, "earlier line", "x.a"),
        error("texts/a.txt", 9, 2, "earlier column", "x.c"),
        error("texts/b.txt", 2, 1, "second", "x.b"),  # found twice: said once
    ]
    assert format_report(found) == [
        "texts/a.txt:9:2: earlier column [x.c]",
        "texts/a.txt:9:30: earlier line [x.a]",
        "texts/a.txt:10:4: later line [x.a]",
        "texts/b.txt:2:1: second [x.b]",
    ]


def test_warnings_come_after_the_errors_a_few_of_each_code_then_a_count() -> None:
    found = [warning(f"texts/d{n:02}.txt", 3, 1, "page 7 follows page 9", "pages.order") for n in range(12, 0, -1)]
    found += [warning("texts/d01.txt", 0, 0, "no title", "header.title"), error("edition.yaml", 4, 2, "bad", "config")]
    assert format_report(found) == [
        "edition.yaml:4:2: bad [config]",
        "texts/d01.txt: warning: no title [header.title]",
        "texts/d01.txt:3:1: warning: page 7 follows page 9 [pages.order]",
        "texts/d02.txt:3:1: warning: page 7 follows page 9 [pages.order]",
        "texts/d03.txt:3:1: warning: page 7 follows page 9 [pages.order]",
        "… and 9 more warnings like these [pages.order]",
    ]


def test_the_report_follows_the_diagnostics_own_order() -> None:
    found = [
        warning(path, line, col, message, "same.code")
        for path in ("b", "a")
        for line in (2, 1)
        for col in (5, 0)
        for message in ("z", "y")
    ]
    shown = format_report(found, examples=len(found))
    assert shown == [d.format() for d in sorted(found)]
