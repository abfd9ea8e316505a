"""The teiHeader: what the configuration and the conversion say about a document."""

from __future__ import annotations

from lxml import etree

from edition.config import DocumentMeta, EditionConfig, Licence, Person
from edition.header import HeaderFacts, build_header
from edition.source import Source

NS = {"tei": "http://www.tei-c.org/ns/1.0"}

CONFIG = EditionConfig(
    title="An Edition",
    editors=(Person("Ada Editor", id="ada", orcid="0000-0002-1825-0097"),),
    publisher="A Press",
    licence=Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
)


def header(
    meta: DocumentMeta | None = None, source: Source | None = None, **facts: str
) -> etree._Element:
    made = HeaderFacts(**{"title": "A Letter", "file_name": "letter.txt", **facts})
    return build_header(
        CONFIG, meta or DocumentMeta(), source or Source("letter.txt", "text"), made
    )


def test_title_editors_and_the_machine_are_in_the_title_statement() -> None:
    stmt = header().find("tei:fileDesc/tei:titleStmt", NS)
    assert stmt.findtext("tei:title", namespaces=NS) == "A Letter"
    editor = stmt.find("tei:editor", NS)
    assert (editor.text, editor.get("ref")) == (
        "Ada Editor",
        "https://orcid.org/0000-0002-1825-0097",
    )
    assert stmt.find("tei:respStmt", NS).get("{http://www.w3.org/XML/1998/namespace}id") == "auto"


def test_licence_comes_from_the_document_before_the_edition() -> None:
    own = DocumentMeta(
        licence=Licence("Public domain", "https://creativecommons.org/publicdomain/mark/1.0/")
    )
    assert header().findtext(".//tei:licence", namespaces=NS) == "CC BY 4.0"
    assert header(own).findtext(".//tei:licence", namespaces=NS) == "Public domain"


def test_no_licence_is_said_in_words() -> None:
    config = EditionConfig(title="E")
    made = build_header(config, DocumentMeta(), Source("x.txt", ""), HeaderFacts("T", "x.txt"))
    assert made.findtext(".//tei:availability/tei:p", namespaces=NS) == "Licence not stated."


def test_page_range_and_source_go_into_the_source_description() -> None:
    bibl = header(DocumentMeta(source="FRUS 1936"), first_page="300", last_page="302").find(
        ".//tei:bibl", NS
    )
    assert bibl.text == "FRUS 1936"
    assert bibl.find("tei:biblScope", NS).attrib == {"unit": "page", "from": "300", "to": "302"}


def test_what_reading_changed_is_recorded() -> None:
    source = Source("x.txt", "t", encoding="cp1252", had_bom=False, line_ends="CRLF")
    note = header(source=source).findtext(".//tei:normalization/tei:p", namespaces=NS)
    assert "decoded from cp1252" in note and "CRLF line ends made LF" in note


def test_no_date_without_a_configured_release_date() -> None:
    assert header().find(".//tei:publicationStmt/tei:date", NS) is None
    assert header().find(".//tei:change", NS).get("when") is None
    assert header(release_date="2026-01-01").find(".//tei:change", NS).get("when") == "2026-01-01"
