"""Build the ``teiHeader`` of a converted document from the configuration and what conversion found.

The header makes each file self-describing for exchange: what it is (title,
author), who made it and how (editors, the machine's ``respStmt``), where it is
published and under which licence, what it transcribes (``sourceDesc`` with the
page range), what the encoding did (``editorialDecl``) and how the bytes were
read (encoding, BOM, line ends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from edition import __version__
from edition.config import DocumentMeta, EditionConfig, Licence
from edition.encode import NSMAP, TEI_NS, XML_NS, sub, tei
from edition.source import Source

# An ISO date TEI's @when accepts, e.g. "1936", "1936-08", "1936-08-28".
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class HeaderFacts:
    """What conversion learned that the header states."""

    title: (
        str  # the document's title: from its metadata, else its first heading, else its file name
    )
    file_name: str
    url: str = ""  # the document's permalink, when the edition has a base URL
    first_page: str = ""
    last_page: str = ""
    release_date: str = ""  # ISO date of this release, from the configuration or SOURCE_DATE_EPOCH
    editorial: tuple[tuple[str, str], ...] = ()  # (editorialDecl element, sentence) per detector


def build_header(
    config: EditionConfig, meta: DocumentMeta, source: Source, facts: HeaderFacts
) -> etree._Element:
    header = tei("teiHeader")
    file_desc = sub(header, "fileDesc")
    _title_stmt(sub(file_desc, "titleStmt"), config, meta, facts)
    _publication_stmt(sub(file_desc, "publicationStmt"), config, meta, facts)
    _source_desc(sub(file_desc, "sourceDesc"), meta, facts)
    _encoding_desc(sub(header, "encodingDesc"), source, facts)
    if meta.date and ISO_DATE.fullmatch(meta.date):
        profile = sub(header, "profileDesc")
        sub(sub(profile, "creation"), "date", {"when": meta.date}, meta.date)
    revision = sub(header, "revisionDesc")
    change = {"who": "#auto"}
    if facts.release_date:
        change["when"] = facts.release_date
    sub(
        revision,
        "change",
        change,
        f"Converted from plain text ({facts.file_name}) by edition {__version__}.",
    )
    return header


def _title_stmt(
    stmt: etree._Element, config: EditionConfig, meta: DocumentMeta, facts: HeaderFacts
) -> None:
    sub(stmt, "title", text=facts.title)
    if meta.author:
        sub(stmt, "author", text=meta.author)
    for editor in config.editors:
        attrib = {f"{{{XML_NS}}}id": editor.id} if editor.id else {}
        element = sub(stmt, "editor", attrib, editor.name)
        if editor.orcid:
            element.set("ref", f"https://orcid.org/{editor.orcid}")
    resp = sub(stmt, "respStmt", {f"{{{XML_NS}}}id": "auto"})
    sub(resp, "resp", text="automatic encoding")
    sub(resp, "name", text=f"edition {__version__}")


def _publication_stmt(
    stmt: etree._Element, config: EditionConfig, meta: DocumentMeta, facts: HeaderFacts
) -> None:
    fill_publication(stmt, config, facts.url, meta.licence or config.licence, facts.release_date)


def fill_publication(stmt: etree._Element, config: EditionConfig, url: str, licence: Licence,
                     date: str) -> None:
    """A ``publicationStmt``'s content: publisher, permalink, licence (or its absence), date.

    Shared by every TEI file the edition writes: documents, persons.xml, corpus.xml.
    """
    sub(stmt, "publisher", text=config.publisher or config.title)
    if url:
        sub(stmt, "idno", {"type": "URI"}, url)
    availability = sub(stmt, "availability")
    if licence.name or licence.url:
        attrib = {"target": licence.url} if licence.url else {}
        sub(availability, "licence", attrib, licence.name or licence.url)
    else:
        sub(availability, "p", text="Licence not stated.")
    if date:
        sub(stmt, "date", {"when": date}, date)


def _source_desc(desc: etree._Element, meta: DocumentMeta, facts: HeaderFacts) -> None:
    bibl = sub(desc, "bibl")
    bibl.text = meta.source or f"Plain-text transcription {facts.file_name}."
    if facts.first_page:
        scope = {
            "unit": "page",
            "from": facts.first_page,
            "to": facts.last_page or facts.first_page,
        }
        sub(bibl, "biblScope", scope)


def _encoding_desc(desc: etree._Element, source: Source, facts: HeaderFacts) -> None:
    decl = sub(desc, "editorialDecl")
    sentences: dict[str, list[str]] = {}
    for element, sentence in facts.editorial:
        sentences.setdefault(element, []).append(sentence)
    sentences.setdefault("normalization", []).append(_reading_note(source))
    sentences.setdefault("segmentation", []).append(
        "Blocks separated by blank lines are paragraphs; consecutive lines that each read as "
        "complete are list items; a newline inside a paragraph is encoded as lb."
    )
    # editorialDecl's children in the order the TEI Guidelines list them.
    for element in ("correction", "normalization", "hyphenation", "segmentation", "interpretation"):
        if element in sentences:
            holder = sub(decl, element)
            for sentence in sentences[element]:
                sub(holder, "p", text=sentence)


def _reading_note(source: Source) -> str:
    """How the text was read, and what reading changed, in one sentence."""
    changes = []
    if source.encoding != "utf-8":
        changes.append(f"decoded from {source.encoding}")
    if source.had_bom:
        changes.append("a byte-order mark dropped")
    if source.line_ends != "LF":
        changes.append(f"{source.line_ends} line ends made LF")
    if source.normalized_nfc:
        changes.append("characters composed to Unicode NFC")
    done = "; ".join(changes) if changes else "nothing needed changing"
    return f"The source text was read as UTF-8 and normalized to Unicode NFC ({done})."


def tei_document(
    doc_id: str,
    language: str,
    header: etree._Element,
    body: etree._Element,
    stand_off: etree._Element | None = None,
) -> etree._Element:
    """``TEI``: the header, then the ``standOff`` (the persons the document names), then the text."""
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap=NSMAP)  # type: ignore[arg-type]
    root.set(f"{{{XML_NS}}}id", doc_id)
    root.set(f"{{{XML_NS}}}lang", language)
    root.append(header)
    if stand_off is not None:
        root.append(stand_off)
    text = sub(root, "text")
    text.append(body)
    return root
