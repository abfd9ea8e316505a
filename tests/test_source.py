"""Reading a text file into the source: decoding, line ends, NFC, located errors."""

from __future__ import annotations

import pytest

from edition.diagnostics import EditionError
from edition.source import decode_source


def test_utf8_is_read_as_it_is() -> None:
    source, found = decode_source("Zinoviev’s trial\n".encode(), "t.txt")
    assert source.text == "Zinoviev’s trial\n"
    assert (source.encoding, source.had_bom, source.line_ends, found) == ("utf-8", False, "LF", [])


def test_bom_is_dropped_and_recorded() -> None:
    source, _ = decode_source(b"\xef\xbb\xbfText", "t.txt")
    assert source.text == "Text"
    assert source.had_bom


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"a\r\nb\r\n", "CRLF"),
        (b"a\rb", "CR"),
        (b"a\r\nb\nc", "mixed"),
    ],
)
def test_line_ends_become_lf_and_are_recorded(raw: bytes, kind: str) -> None:
    source, _ = decode_source(raw, "t.txt")
    assert "\r" not in source.text
    assert source.line_ends == kind


def test_text_is_composed_to_nfc() -> None:
    source, _ = decode_source("Cafe\u0301".encode(), "t.txt")
    assert source.text == "Café"
    assert source.normalized_nfc


def test_latin1_text_is_read_with_a_warning() -> None:
    raw = ("Le procès de Zinoviev et Kamenev à Moscou, août 1936. " * 5).encode("cp1252")
    source, found = decode_source(raw, "t.txt")
    assert "procès" in source.text
    assert [d.code for d in found] == ["source.encoding"]


def test_undecodable_bytes_are_a_located_error() -> None:
    raw = "line one\nline two \u00e9".encode("utf-8")[:-1] + b"\xff\xfe\x00\x81 more"
    with pytest.raises(EditionError) as failure:
        decode_source(raw, "texts/bad.txt")
    message = failure.value.diagnostics[0].format()
    assert message.startswith("texts/bad.txt:")
    assert "[source." in message


def test_control_character_is_a_located_error() -> None:
    with pytest.raises(EditionError) as failure:
        decode_source(b"first line\nsecond \x0b line", "texts/x.txt")
    assert [d.format() for d in failure.value.diagnostics] == [
        "texts/x.txt:2:8: character U+000B cannot be stored in XML; remove or replace it "
        "[source.illegal-char]"
    ]


def test_position_counts_lines_and_columns_from_one() -> None:
    source, _ = decode_source(b"ab\ncd\n\nef", "t.txt")
    assert [source.position(i) for i in (0, 1, 3, 7, 8)] == [(1, 1), (1, 2), (2, 1), (4, 1), (4, 2)]


def test_a_nul_byte_is_refused_as_binary_at_its_place() -> None:
    with pytest.raises(EditionError) as refused:
        decode_source(b"line one\nab\x00c", "texts/x.txt")
    (problem,) = refused.value.diagnostics
    assert (problem.line, problem.col, problem.code) == (2, 3, "source.binary")
