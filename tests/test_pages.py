"""Detecting page markers: where they stand, their variants, and the malformed ones."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from edition.blocks import split_blocks
from edition.config import DetectorOptions, EditionConfig
from edition.convert import convert_document
from edition.detectors import Detection, DetectionContext, default_detectors
from edition.detectors.pages import DEFAULTS, PageBreakDetector
from edition.reading import diplomatic_text
from edition.source import decode_source

NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def detect(text: str, **options: Any) -> Detection:
    source, _ = decode_source(text.encode("utf-8"), "texts/sample.txt")
    merged: Mapping[str, Any] = {**DEFAULTS, **options}
    return PageBreakDetector().detect(
        DetectionContext(source, tuple(split_blocks(text)), options=merged)
    )


def breaks(text: str, **options: Any) -> list[tuple[str, str]]:
    """(n, marker) of each page break found."""
    return [(a.attr("n"), text[a.start : a.end]) for a in detect(text, **options).annotations]


def tei(text: str, config: EditionConfig | None = None) -> etree._Element:
    source, _ = decode_source(text.encode("utf-8"), "texts/sample.txt")
    converted = convert_document(source, "sample", config or EditionConfig(title="T"),
                                 default_detectors())
    assert [d for d in converted.diagnostics if d.is_error] == []
    return etree.fromstring(converted.tei)


# -- where a marker stands ---------------------------------------------------------------


def test_marker_on_its_own_line_between_paragraphs_is_a_pb_between_them() -> None:
    root = tei("First paragraph.\n\n[Page 301]\n\nSecond paragraph.")
    div = root.find(".//tei:div", NS)
    assert div is not None
    assert [etree.QName(e).localname for e in div] == ["p", "pb", "p"]
    assert div[1].get("n") == "301"
    assert div[1].get("{http://www.w3.org/XML/1998/namespace}id") == "pb301"


def test_marker_mid_sentence_is_a_pb_inside_the_paragraph() -> None:
    root = tei("The trial was [Page 302] staged at the present time.")
    p = root.find(".//tei:body//tei:p", NS)
    assert p is not None
    assert p.text == "The trial was "
    assert p[0].get("n") == "302"
    assert p[0].tail == " staged at the present time."


def test_marker_glued_to_the_next_word_leaves_the_word_whole() -> None:
    root = tei("they are [Page 206]only a few.")
    p = root.find(".//tei:body//tei:p", NS)
    assert p is not None and p[0].tail == "only a few."
    assert "[Page" not in "".join(str(t) for t in p.itertext())


def test_the_diplomatic_reading_puts_the_marker_back() -> None:
    text = "they are [Page 206]only a few.\n\n[p. 207]\n\nMore."
    assert diplomatic_text(tei(text)).split() == text.split()


# -- variants --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "n"),
    [
        ("[Page 301]", "301"),
        ("[p. 12]", "12"),
        ("[Pg 12]", "12"),
        ("[Pg. 12]", "12"),
        ("[Page xii]", "xii"),
        ("[Page XIV]", "XIV"),
        ("[Page 12a]", "12a"),
    ],
)
def test_page_marker_variants_are_page_breaks(marker: str, n: str) -> None:
    assert breaks(f"Text {marker} more text.") == [(n, marker)]


def test_a_variant_marker_is_kept_in_rend_for_the_reading() -> None:
    root = tei("Text [p. 12] more.")
    pb = root.find(".//tei:pb", NS)
    assert pb is not None and pb.get("rend") == "[p. 12]" and pb.get("n") == "12"


def test_a_marker_with_a_no_break_space_is_valid_tei_and_reads_back(tei_schema: Path) -> None:
    # @rend is a list of data.word, which may not hold U+00A0: it is kept as a space.
    from edition.validate import validate_tree

    root = tei("Before [Page\u00a0302] after.")
    (pb,) = root.iter("{http://www.tei-c.org/ns/1.0}pb")
    assert (pb.get("n"), pb.get("rend")) == ("302", None)
    assert validate_tree(root, "sample") == []
    assert "[Page 302]" in diplomatic_text(root)


def test_roman_numbers_and_letter_suffixes_can_be_switched_off() -> None:
    text = "Text [Page xii] and [Page 12a] and [Page 13]."
    assert breaks(text, roman=False, letter_suffix=False) == [("13", "[Page 13]")]


def test_labels_are_configurable() -> None:
    assert breaks("Text [Seite 12] more.", labels=["Seite"]) == [("12", "[Seite 12]")]
    assert breaks("Text [p. 12] more.", labels=["Page"]) == []


def test_a_custom_pattern_replaces_the_marker() -> None:
    assert breaks("Text {12} more.", pattern=r"\{(?P<n>\d+)\}") == [("12", "{12}")]


def test_an_invalid_custom_pattern_is_reported_not_raised() -> None:
    found = detect("Text.", pattern="(")
    assert [d.code for d in found.diagnostics] == ["pages.pattern"]


def test_options_come_from_edition_yaml_by_detector_name() -> None:
    options = DetectorOptions(options={"labels": ("Folio",)})  # type: ignore[arg-type]
    config = EditionConfig(title="T", detectors={"pages": options})  # type: ignore[arg-type]
    pb = tei("Text [Folio 3] more.", config).find(".//tei:pb", NS)
    assert pb is not None and pb.get("n") == "3"


# -- not page breaks ----------------------------------------------------------------------------


def test_unclosed_marker_stays_text_with_a_located_warning() -> None:
    found = detect("First line.\nThe [Page 12 never closes.")
    assert found.annotations == ()
    [warning] = found.diagnostics
    assert warning.code == "pages.malformed"
    assert (warning.line, warning.col) == (2, 5)
    assert "'[Page 12'" in warning.message


@pytest.mark.parametrize("text", ["Your 250 [260] of May 5.", "[sic]", "[Telegram]", "[Page]"])
def test_other_brackets_are_not_page_breaks(text: str) -> None:
    assert detect(text) == Detection()


def test_a_page_number_going_backwards_is_reported() -> None:
    found = detect("[Page 12]\n\nText.\n\n[Page 11]")
    assert [d.code for d in found.diagnostics] == ["pages.order"]


def test_page_range_starts_on_the_page_before_the_first_break() -> None:
    root = tei("Text.\n\n[Page 301]\n\nMore.\n\n[Page 302]\n\nEnd.")
    scope = root.find(".//tei:sourceDesc//tei:biblScope", NS)
    assert scope is not None
    assert (scope.get("from"), scope.get("to")) == ("300", "302")


def test_an_abbreviation_in_brackets_is_not_an_unclosed_marker() -> None:
    assert detect("He left [p.m. time] at once.") == Detection()
