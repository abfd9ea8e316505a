"""`edition review`: every review item, grouped by kind, as a table and an escaped HTML page."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.cli import main
from edition.detectors import ReviewItem
from edition.review import group_items, html_report, table
from edition.source import decode_source


def items() -> list[tuple[str, object, ReviewItem]]:
    text = "Then Yerev left. Yerev came. <Zinoxyez> spoke; tbe end."
    source, _ = decode_source(text.encode("utf-8"), "texts/a.txt")
    found = [
        ReviewItem("person.link", 5, 10, "Yerev", ("yezhov",), "high", "close to 'Yezhov'"),
        ReviewItem("person.link", 17, 22, "Yerev", ("yezhov",), "high", "close to 'Yezhov'"),
        ReviewItem("person.candidate", 29, 37, "Zinoxyez", (), "", "a name not in the register"),
        ReviewItem("ocr.emendation", 46, 49, "tbe", ("the",), "high", ""),
    ]
    return [("a", source, item) for item in found]


def test_items_are_grouped_by_kind_and_surface_with_counts_and_places() -> None:
    groups = group_items(items())  # type: ignore[arg-type]
    assert [(g.kind, g.surface, g.count) for g in groups] == [
        ("person.link", "Yerev", 2),
        ("person.candidate", "Zinoxyez", 1),
        ("ocr.emendation", "tbe", 1),  # a kind the report does not know is listed too
    ]
    assert groups[0].places[0].where == "a:1:6"
    assert groups[0].places[0].context == "…Then [Yerev] left. Yerev came. <Zinoxyez> …"


def test_the_table_counts_each_kind() -> None:
    lines = table(group_items(items()), 1)  # type: ignore[arg-type]
    assert lines[0] == (
        "4 items to review in 1 documents: 2 person.link, 1 person.candidate, 1 ocr.emendation"
    )
    assert any("Yerev" in line and "yezhov" in line and "a:1:6" in line for line in lines)


def test_the_html_report_escapes_the_sources_and_says_how_to_accept() -> None:
    page = html_report(group_items(items()), "T <&>", 1)  # type: ignore[arg-type]
    assert "<Zinoxyez>" not in page and "&lt;Zinoxyez&gt;" in page
    assert "T &lt;&amp;&gt;" in page
    assert "under id yezhov: variants: [Yerev]" in page


def test_the_command_prints_the_table_and_writes_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "src"
    (sources / "texts").mkdir(parents=True)
    (sources / "texts" / "a.txt").write_text("Title\n\nYezhov came. Then Yerev left.", "utf-8")
    (sources / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n", "utf-8"
    )
    (sources / "edition.yaml").write_text("edition:\n  title: T\n", "utf-8")
    out = tmp_path / "review.html"
    assert main(["review", str(sources), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "person.link" in printed and "Yerev" in printed
    assert "Yerev" in out.read_text("utf-8")
