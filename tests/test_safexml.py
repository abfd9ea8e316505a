"""Safe parsing of XML from elsewhere: no DOCTYPE, no entity ever read or expanded, a size limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from edition.diagnostics import EditionError
from edition.render.teiread import parse_tei
from edition.safexml import doctype_line, parse_xml, read_xml

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
REFUSAL = (
    "has a DOCTYPE declaration; TEI needs none, and its entities could read local files "
    "or expand without end, so the file is refused unread"
)


def test_an_xxe_payload_is_refused_before_the_parser_sees_it() -> None:
    tree, problems = read_xml(FIXTURES / "xxe.xml", "xxe.xml")
    assert tree is None
    assert [d.format() for d in problems] == [f"xxe.xml:3:1: {REFUSAL} [xml.doctype]"]
    assert "root:" not in problems[0].message  # /etc/passwd was never read


def test_a_billion_laughs_is_refused_at_once_unexpanded() -> None:
    started = time.monotonic()
    tree, problems = read_xml(FIXTURES / "bomb.xml", "bomb.xml")
    assert tree is None and [d.code for d in problems] == ["xml.doctype"]
    assert time.monotonic() - started < 1


def test_the_renderer_refuses_a_doctype_too() -> None:
    with pytest.raises(EditionError) as refused:
        parse_tei(FIXTURES / "xxe.xml")
    assert [d.code for d in refused.value.diagnostics] == ["xml.doctype"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE r>\n<r/>', 3),
        (b"\xef\xbb\xbf<!doctype r []><r/>", 1),
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r><r/>'.encode("utf-16"), 1),
        # quoted after the root element, a DOCTYPE is only text
        (b"<r><!-- <!DOCTYPE r> --><![CDATA[<!DOCTYPE r>]]></r>", 0),
        (b"<r/>", 0),
    ],
)
def test_a_doctype_is_found_only_in_the_prolog(data: bytes, line: int) -> None:
    assert doctype_line(data) == line


def test_a_file_over_the_limit_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<r>" + b"x" * 100 + b"</r>")
    monkeypatch.setenv("EDITION_MAX_XML_BYTES", "50")
    tree, problems = read_xml(big, "big.xml")
    assert tree is None
    assert [d.format() for d in problems] == [
        "big.xml: is 107 bytes, more than the limit of 50 for one XML file; "
        "raise it with EDITION_MAX_XML_BYTES=<bytes> if the file is trusted [xml.too-large]"
    ]
    monkeypatch.delenv("EDITION_MAX_XML_BYTES")
    assert read_xml(big, "big.xml")[0] is not None  # the default is 256 MB


def test_a_repeated_xml_id_is_named_as_the_rule_names_it() -> None:
    _, problems = parse_xml(b'<r>\n<a xml:id="x"/>\n<a xml:id="x"/></r>', "r.xml")
    assert [d.format() for d in problems] == [
        "r.xml:3:14: xml:id 'x' is used twice; ids must be unique in a file [rules.id.duplicate]"
    ]
