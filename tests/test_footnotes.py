"""Detecting footnote markers and matching them to the endnote block, per marker kind and quirk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from lxml import etree

from edition.blocks import split_blocks
from edition.config import DetectorOptions, EditionConfig
from edition.convert import convert_document
from edition.detectors import Detection, DetectionContext, default_detectors
from edition.detectors.footnotes import DEFAULTS, FootnoteDetector
from edition.reading import diplomatic_text
from edition.source import decode_source, read_source

from .conftest import SEEDS

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
HEAD = "861.00/11630: Telegram\n\nThe Chargé in the Soviet Union (Henderson) to the Secretary of State\n\n"


def document(body: str, *notes: str) -> str:
    """A text-view document: the heading, ``body``, and the endnotes labelled 1..k."""
    listed = "\n".join(f"  {k}. {note}" for k, note in enumerate(notes, start=1))
    return HEAD + body + ("\n\n" + listed if notes else "")


def detect(text: str, **options: Any) -> Detection:
    source, _ = decode_source(text.encode("utf-8"), "texts/sample.txt")
    merged: Mapping[str, Any] = {**DEFAULTS, **options}
    return FootnoteDetector().detect(DetectionContext(source, tuple(split_blocks(text)), options=merged))


def markers(text: str, **options: Any) -> list[tuple[str, str, str]]:
    """(printed number, text just before the marker, body) for each note with a marker."""
    found = []
    for a in detect(text, **options).annotations:
        if a.is_empty:
            continue
        assert a.target is not None
        found.append((a.attr("n"), text[a.start - 6 : a.start], text[a.target[0] : a.target[1]]))
    return found


def tei(text: str, config: EditionConfig | None = None) -> etree._Element:
    source, _ = decode_source(text.encode("utf-8"), "texts/sample.txt")
    converted = convert_document(source, "sample", config or EditionConfig(title="T"),
                                 default_detectors())
    assert [d for d in converted.diagnostics if d.is_error] == []  # lossless included
    return etree.fromstring(converted.tei)


def notes_of(root: etree._Element) -> list[tuple[str | None, str | None, str | None, str]]:
    """(place, n, parent element, body) of every note in the body."""
    return [
        (n.get("place"), n.get("n"), etree.QName(_parent(n)).localname, text_of(n))
        for n in root.iterfind(".//tei:body//tei:note", NS)
    ]


def text_of(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    assert parent is not None
    return parent


# -- the seed: FRUS 1936 vol. III, d305 -----------------------------------------------------


def test_seed_d305_encodes_pages_notes_and_the_unmarked_note_on_the_heading() -> None:
    name = "003_e5b59e6160513613"
    source, _ = read_source(SEEDS / f"{name}.txt")
    converted = convert_document(source, name, EditionConfig(title="T"), default_detectors())
    assert [d for d in converted.diagnostics if d.is_error] == []
    root = etree.fromstring(converted.tei)
    assert [pb.get("n") for pb in root.iterfind(".//tei:pb", NS)] == ["301", "302"]
    notes = root.findall(".//tei:body//tei:note", NS)
    assert [(n.get("n"), n.get(XML_ID), n.get("place")) for n in notes] == [
        ("25", "n25", "foot"), ("26", "n26", "foot"), ("27", "n27", "foot"),
    ]
    head, at_pm, at_constitution = notes
    assert etree.QName(_parent(head)).localname == "head"
    assert head.get("type") == "unmarked" and head.text == "Telegram in two sections."
    assert at_pm.getprevious() is None and str(_parent(at_pm).text).endswith("6 p.m.")
    assert text_of(at_pm).startswith("Not printed;")
    assert str(_parent(at_constitution).text).endswith("new constitution")
    assert root.find(".//tei:div[@type='notes']", NS) is None
    body = root.find(".//tei:body", NS)
    assert body is not None
    running = "".join(str(t) for t in body.itertext() if t not in {n.text for n in notes})
    assert "p.m.26" not in running and "constitution27" not in running


# -- marker kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # glued to a word
        ("the new constitution27 signifies a new era.", ("27", "tution")),
        # glued to an abbreviation's full stop
        ("Reference your 117, August 24, 6 p.m.26 The few journalists.", ("26", " p.m.")),
        # after a closing parenthesis
        ("The Minister in Ethiopia (Cole)1 reports.", ("1", "(Cole)")),
        # after a number and a full stop: telegram No. 1359, note 2
        ("1291. Your 1359.2 Foreign Office informs me.", ("2", " 1359.")),
    ],
)
def test_marker_glued_to_what_precedes_it(body: str, expected: tuple[str, str]) -> None:
    [(n, before, _)] = markers(document(body, "Not printed."))
    assert (n, before[-len(expected[1]) :]) == expected


def test_marker_after_a_comma_and_a_number() -> None:
    [(n, before, _)] = markers(document("as I reported on November 2,26 I have the honor.", "Ibid."))
    assert (n, before) == ("26", "ber 2,")


def test_marker_split_off_a_year_when_the_sequence_asks_for_it() -> None:
    text = document(
        "It was decided by despatch of February 27, 193027—still in force. See the Act of Algeciras28 too.",
        "Foreign Relations, 1930, vol. iii.",
        "General Act of the International Conference.",
    )
    assert [(n, before) for n, before, _ in markers(text)] == [("27", ", 1930"), ("28", "eciras")]


def test_marker_split_off_a_day_that_cannot_be_one() -> None:
    [(n, before, _)] = markers(document("Under date of January 2071 reiterating the view.", "Not printed."))
    assert (n, before) == ("71", "ary 20")


def test_superscript_marker_keeps_its_form_in_rend() -> None:
    text = document("The treaty of Lausanne¹ was signed.", "Treaty Series No. 16.")
    [note] = tei(text).findall(".//tei:p/tei:note", NS)
    assert (note.get("n"), note.get("rend")) == ("1", "¹")
    assert diplomatic_text(tei(text)).split() == text.split()


def test_bracketed_marker_when_a_note_body_matches() -> None:
    text = document("The treaty of Lausanne[1] was signed.", "Treaty Series No. 16.")
    [note] = tei(text).findall(".//tei:p/tei:note", NS)
    assert (note.get("n"), note.get("rend")) == ("1", "[1]")


@pytest.mark.parametrize("symbol", ["*", "†"])
def test_symbol_marker_when_a_note_body_matches(symbol: str) -> None:
    text = document(f"He has been arrested in Ireland.{symbol}\n\nA copy is also sent.", "No. 2.")
    assert markers(text) == [(symbol, "eland.", "No. 2.")]


def test_a_number_alone_on_a_line_marks_the_dropped_heading_it_stood_in() -> None:
    text = document("[Telegram—Extract]\n\n1\n\n185. My policy was stated.", "Not printed.")
    assert [n for n, _, _ in markers(text)] == ["1"]


def test_superscripts_can_be_switched_off() -> None:
    assert markers(document("The treaty¹ was signed.", "Ibid."), superscript=False) == []


# -- not markers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Your 250 [260] of May 5 was received [sic].",  # the source's own emendation
        "[Telegram]\n\nThe Minister reports.",
        "First part.\n\n* * *\n\nSecond part.",  # an omission, not a note
        "In 1936 the file 861.00/11630 was closed at 6 p.m. on May 5.",  # years, file numbers, times
        "The loan of $1,500 at 3.5 per cent was paid at 6:30 p.m.",  # amounts, decimals, times
        "195. Reference Department’s 117, August 24, noon.",  # the telegram's own number
    ],
)
def test_editorial_brackets_numbers_and_separators_are_not_markers(body: str) -> None:
    assert markers(document(body, "Not printed.")) == []


def test_a_marker_looking_number_without_a_note_stays_text() -> None:
    text = document("The new constitution27 signifies a new era.")
    assert detect(text) == Detection()
    p = tei(text).find(".//tei:body/tei:div/tei:p", NS)
    assert p is not None and "constitution27" in text_of(p)


# -- numbering quirks ---------------------------------------------------------------------------


def test_renumbered_endnotes_are_matched_by_order_and_keep_the_printed_number() -> None:
    text = document(
        "At 6 p.m.26 the trial began. The new constitution27 signifies an era.",
        "Telegram in two sections.", "Not printed.", "The Presidium approved the draft.",
    )
    assert markers(text) == [
        ("26", "6 p.m.", "Not printed."), ("27", "tution", "The Presidium approved the draft."),
    ]


def test_a_repeated_number_gets_a_second_id() -> None:
    text = document("First the head8 then the body.8 Then the rest9 ends.", "One.", "Two.", "Three.")
    ids = [n.get(XML_ID) for n in tei(text).iterfind(".//tei:body//tei:note", NS)]
    assert ids == ["n8", "n8-2", "n9"]


def test_an_inserted_note_with_a_letter_follows_its_number() -> None:
    text = document("Left Geneva,37 according to Gayda37a in today’s paper.", "On May 12.", "A spokesman.")
    assert [n for n, _, _ in markers(text)] == ["37", "37a"]


def test_numbering_that_restarts_on_a_new_page_is_followed() -> None:
    text = document("Lindley3 says so.\n\n[Page 12]\n\nThe Consul1 agrees and Masaryk2 too.", "A.", "B.", "C.")
    assert [n for n, _, _ in markers(text)] == ["3", "1", "2"]


# -- notes with no marker ------------------------------------------------------------------------


def test_a_note_without_a_marker_goes_on_the_heading_and_is_reported() -> None:
    text = document("The trial was staged.", "Telegram in two sections.")
    found = detect(text)
    [note] = found.annotations
    assert note.is_empty and note.start == text.index(" to the Secretary of State") + 26
    assert note.attr("type") == "unmarked"
    assert [d.code for d in found.diagnostics] == ["footnotes.unmarked"]
    assert notes_of(tei(text)) == [("foot", None, "head", "Telegram in two sections.")]


def test_the_unmarked_note_need_not_be_the_first() -> None:
    text = (
        "765.84/3708: Telegram\n\nThe Minister Resident in Ethiopia (Engert)14 to the Secretary of State"
        "\n\n87. See my 208, December 5, 10 p.m.16 With the country deluged.\n\n"
        "  1. Engert was appointed Minister Resident.\n  2. Telegram in four sections.\n"
        "  3. Foreign Relations, 1935, vol. i, p. 689."
    )
    places = [(n, parent) for _, n, parent, _ in notes_of(tei(text))]
    assert places == [("14", "head"), ("15", "head"), ("16", "p")]


def test_a_note_that_matches_nothing_is_kept_at_the_end_and_reported() -> None:
    text = document("The constitution1 was approved. Nothing marks the second note.", "One.", "Two.", "Three.")
    found = detect(text)
    codes = sorted(d.code for d in found.diagnostics)
    assert codes == ["footnotes.count", "footnotes.unmatched", "footnotes.unmatched"]
    root = tei(text)
    assert [(place, n) for place, n, _, _ in notes_of(root)] == [("foot", "1"), ("end", "2"), ("end", "3")]
    assert diplomatic_text(root).split() == text.split()


def test_a_note_body_over_several_lines_is_one_note() -> None:
    text = document(
        "The decree1 was adopted.",
        "This decree differed:\nCitizens of limited means receive bonds.\nSee also vol. i, p. 358.",
    )
    [(n, _, body)] = markers(text)
    assert n == "1" and body.endswith("vol. i, p. 358.")


# -- configuration --------------------------------------------------------------------------------


def test_footnotes_can_be_switched_off_in_edition_yaml() -> None:
    config = EditionConfig(title="T", detectors={"footnotes": DetectorOptions(enabled=False)})  # type: ignore[arg-type]
    text = document("The new constitution27 signifies a new era.", "Not printed.")
    assert [place for place, _, _, _ in notes_of(tei(text, config))] == ["end"]


def test_when_no_marker_matches_an_ordinary_note_stays_among_the_endnotes() -> None:
    text = document("Your 18927 and 190 were received.", "Not printed.")
    found = detect(text)
    assert found.annotations == ()
    assert sorted(d.code for d in found.diagnostics) == ["footnotes.count", "footnotes.unmatched"]
    assert [place for place, _, _, _ in notes_of(tei(text))] == ["end"]
