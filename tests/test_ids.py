"""Document ids from file names and element ids inside a document."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from edition.encode import sub, tei
from edition.ids import XML_ID, assign_ids, document_id

NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("003_e5b59e6160513613", "d-003-e5b59e6160513613"),
        ("1936 report – Moscow", "d-1936-report-moscow"),
        ("Zürich Brief", "d-zurich-brief"),
    ],
)
def test_document_id_is_a_slug_of_the_file_name(stem: str, expected: str) -> None:
    assert document_id(stem) == expected


def test_document_id_of_a_non_latin_name_is_a_valid_stable_name() -> None:
    first = document_id("Письмо")
    assert NCNAME.match(first) and first == document_id("Письмо") != document_id("Письма")


def test_page_breaks_and_notes_are_named_by_their_printed_numbers() -> None:
    body = tei("body")
    div = sub(body, "div")
    sub(div, "head")
    sub(div, "p")
    sub(div, "pb", {"n": "301"})
    sub(sub(div, "list"), "item")
    sub(sub(div, "p"), "note", {"n": "26"})
    sub(div, "note", {"n": "26"})
    sub(div, "note")
    assign_ids(body)
    ids = [e.get(XML_ID) for e in body.iter() if e.get(XML_ID)]
    assert ids == ["pb301", "n26", "n26-2", "note1"]  # headings, paragraphs: the anchors lock


def test_odd_page_numbers_still_give_names() -> None:
    body = tei("body")
    for n in ("xii", "12a", "?"):
        sub(body, "pb", {"n": n})
    assign_ids(body)
    assert [pb.get(XML_ID) for pb in body] == ["pbxii", "pb12a", "pb"]
    assert all(NCNAME.match(str(pb.get(XML_ID))) for pb in body)


def test_element_ids_do_not_touch_other_elements() -> None:
    body = tei("body")
    sub(body, "lb")
    assign_ids(body)
    assert etree.tostring(body).count(b"xml:id") == 0
