"""Read a TEI P5 file safely and pull from its header what the site lists about it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError, error
from edition.pickling import ByFields
from edition.safexml import read_xml, safe_parser

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NS = {"tei": TEI_NS}
TEI_CORPUS = f"{{{TEI_NS}}}teiCorpus"  # a corpus file (tei/corpus.xml): it lists, it is not shown
LICENCE = "tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence"

# A document id becomes a folder name and a URL segment, so it must be an NCName
# that cannot climb out of the site: "d-003-e5b59e6160513613" matches, "../x" does not.
DOCUMENT_ID = re.compile(r"^[^\W\d][\w.-]*$")
# Folders the site itself uses; a document may not take their names.
RESERVED_IDS = frozenset({"assets", "persons", "principles", "releases", "index.html"})

# Where a document's own date is, not the edition's publication date in publicationStmt.
DATE_PATHS = (
    "tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date",
    "tei:profileDesc/tei:creation/tei:date",
    "tei:fileDesc/tei:sourceDesc//tei:date",
)

EN_DASH = "\u2013"  # between page numbers, as in "300\u2013302"

# "  Telegram\n   in two  sections " → "Telegram in two sections"
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class DocumentInfo(ByFields):
    """What the index page and a document page's head say about one document."""

    id: str
    title: str
    date: str = ""
    when: str = ""  # the date as ISO 8601 from @when (or @from, @notBefore), for sorting
    author: str = ""
    pages: str = ""  # "300-302" (with an en dash), "17", or "" when the header does not say
    language: str = ""  # BCP 47 from the TEI's xml:lang; "" when unstated
    licence: str = ""  # publicationStmt/availability/licence, "" when the TEI does not say
    licence_url: str = ""  # its @target


@dataclass(frozen=True)
class TeiDocument:
    """A parsed TEI file: where it came from, its header facts and its tree."""

    path: Path
    info: DocumentInfo
    root: etree._Element


def parser() -> etree.XMLParser:
    """An XML parser that never expands entities, reads a DTD or touches the network."""
    return safe_parser()


def read_tei(path: Path) -> TeiDocument:
    """Parse ``path`` as a TEI document; raise `EditionError` located ``file:line:col``."""
    return as_document(path, parse_tei(path))


def is_register(root: etree._Element) -> bool:
    """A TEI file without a text that holds a ``standOff/listPerson``: a personography."""
    return root.find("tei:text", NS) is None and root.find("tei:standOff//tei:listPerson", NS) is not None


def parse_tei(path: Path) -> etree._Element:
    """Parse ``path`` safely and check its root is TEI; raise `EditionError` located."""
    where = str(path)
    tree, problems = read_xml(path, where, syntax_code="render.tei.syntax")
    if tree is None:
        raise EditionError(problems)
    root = tree.getroot()
    line = source_line(root)
    if root.tag not in (f"{{{TEI_NS}}}TEI", TEI_CORPUS):
        found = etree.QName(root)
        raise EditionError(
            [
                error(
                    where,
                    line,
                    0,
                    f"expected a TEI document (root <TEI> in namespace {TEI_NS}), "
                    f"found <{found.localname}> in namespace {found.namespace or '(none)'}",
                    "render.tei.not-tei",
                )
            ]
        )
    return root


def as_document(path: Path, root: etree._Element) -> TeiDocument:
    """Check a parsed TEI root has a body and a usable document id; raise `EditionError`."""
    where, line = str(path), source_line(root)
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        raise EditionError(
            [error(where, line, 0, "TEI document has no text/body to render", "render.tei.no-body")]
        )
    doc_id = root.get(XML_ID, "")
    if not DOCUMENT_ID.match(doc_id) or doc_id in RESERVED_IDS:
        raise EditionError(
            [
                error(
                    where,
                    line,
                    0,
                    "TEI/@xml:id must be a document id like 'd-003-henderson-telegram' "
                    f"(it names the document's folder), found {doc_id!r}",
                    "render.tei.document-id",
                )
            ]
        )
    return TeiDocument(path, read_info(root, doc_id), root)


def read_info(root: etree._Element, doc_id: str) -> DocumentInfo:
    """The header facts of a TEI root: title, date, author or sender, pages, language."""
    header = root.find("tei:teiHeader", NS)
    if header is None:
        return DocumentInfo(id=doc_id, title=doc_id, language=root.get(XML_LANG, ""))
    return DocumentInfo(
        id=doc_id,
        title=_title(header) or doc_id,
        date=_first_date(header),
        when=_first_when(header),
        author=_first_text(
            header,
            "tei:fileDesc/tei:titleStmt/tei:author",
            "tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:persName",
            "tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:orgName",
            "tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:name",
            "tei:fileDesc/tei:sourceDesc//tei:author",
        ),
        pages=_pages(header),
        language=root.get(XML_LANG, ""),
        licence=_first_text(header, LICENCE),
        licence_url=next((e.get("target", "") for e in header.findall(LICENCE, NS)), ""),
    )


def source_line(element: etree._Element) -> int:
    """The 1-based line an element starts on, or 0 when lxml does not know it."""
    line = element.sourceline
    return line if isinstance(line, int) else 0


def reading_text(element: etree._Element) -> str:
    """Text of ``element`` as the reading shows it: reg/corr/expan chosen, notes left out."""
    parts: list[str] = []
    _collect_reading(element, parts)
    return normalize_space("".join(parts))


def normalize_space(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def _collect_reading(element: etree._Element, parts: list[str]) -> None:
    if element.text and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            if name == "note":
                pass
            elif name == "choice":
                shown = _shown_reading(child)
                if shown is not None:
                    _collect_reading(shown, parts)
            else:
                _collect_reading(child, parts)
        if child.tail:
            parts.append(child.tail)


def _shown_reading(choice: etree._Element) -> etree._Element | None:
    for name in ("reg", "corr", "expan"):
        found = choice.find(f"tei:{name}", NS)
        if found is not None:
            return found
    children = [c for c in choice if isinstance(c.tag, str)]
    return children[0] if children else None


def _title(header: etree._Element) -> str:
    titles = header.findall("tei:fileDesc/tei:titleStmt/tei:title", NS)
    main = [t for t in titles if t.get("type") == "main"]
    for title in main or titles:
        text = reading_text(title)
        if text:
            return text
    return ""


def _first_text(header: etree._Element, *paths: str) -> str:
    for path in paths:
        for found in header.findall(path, NS):
            text = reading_text(found)
            if text:
                return text
    return ""


def _first_date(header: etree._Element) -> str:
    for path in DATE_PATHS:
        for found in header.findall(path, NS):
            text = reading_text(found) or found.get("when", "")
            if text:
                return text
    return ""


def _first_when(header: etree._Element) -> str:
    for path in DATE_PATHS:
        for found in header.findall(path, NS):
            for attribute in ("when", "from", "notBefore"):
                value = found.get(attribute, "")
                if value:
                    return value
    return ""


def _pages(header: etree._Element) -> str:
    for scope in header.findall("tei:fileDesc/tei:sourceDesc//tei:biblScope[@unit='page']", NS):
        start, end = scope.get("from", ""), scope.get("to", "")
        if start and end and start != end:
            return f"{start}{EN_DASH}{end}"
        if start or end:
            return start or end
        text = reading_text(scope)
        if text:
            return text
    return ""
