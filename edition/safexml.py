"""Parse XML that came from elsewhere safely: bounded in size, no DTD, no entities, no network.

Every XML input of edition (imported TEI, files to validate or render) comes in
through `read_xml`. It refuses, before the parser sees them:

* a file larger than the limit (256 MB, or ``$EDITION_MAX_XML_BYTES``) — ``xml.too-large``;
* a DOCTYPE declaration — ``xml.doctype``. TEI needs no DTD, and an internal subset
  is how XXE payloads (``<!ENTITY x SYSTEM "file:///etc/passwd">``) and entity
  bombs arrive; refusing it means no entity is ever read or expanded (and Jing,
  which would expand entities, never sees one).

The parser itself is configured the same way (no entity resolution, no DTD
loading, no network, libxml2's size guards on) as a second line of defence.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from edition.diagnostics import Diagnostic, error
from edition.rules import DUPLICATE_ID

# Large enough for the TEI of a 50 MB source (markup adds about a quarter), which the build
# itself reads back to validate and render; the real defences against hostile XML are the
# refused DOCTYPE and the parser's switches, this limit only bounds memory.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_BYTES_VARIABLE = "EDITION_MAX_XML_BYTES"

# What may precede the root element: the XML declaration, processing instructions,
# comments and white space, e.g. '<?xml version="1.0"?>\n<!-- exported -->\n'.
PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
# libxml2's refusal of a repeated xml:id: "ID p1 already defined, line 4, column 20".
LIBXML_DUPLICATE_ID = re.compile(r"^ID (?P<id>\S+) already defined")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def max_bytes() -> int:
    """The size limit for one XML input: ``$EDITION_MAX_XML_BYTES`` when set to a number."""
    value = os.environ.get(MAX_BYTES_VARIABLE, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BYTES


def safe_parser() -> etree.XMLParser:
    """An XML parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )


def read_xml(
    path: Path, display: str, syntax_code: str = "xml.syntax"
) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse ``path`` safely; on refusal, no tree and located errors naming ``display``.

    Codes: ``xml.read`` (cannot read), ``xml.too-large``, ``xml.doctype``, and
    ``syntax_code`` (not well-formed).
    """
    limit = max_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [_too_large(display, size, limit)]
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(display, 0, 0, f"cannot read: {exc.strerror or exc}", "xml.read")]
    return parse_xml(data, display, syntax_code)


def parse_xml(
    data: bytes, display: str, syntax_code: str = "xml.syntax"
) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """`read_xml` for bytes in memory."""
    limit = max_bytes()
    if len(data) > limit:
        return None, [_too_large(display, len(data), limit)]
    line = doctype_line(data)
    if line:
        return None, [_doctype(display, line)]
    try:
        root = etree.fromstring(data, safe_parser(), base_url=display)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        twice = LIBXML_DUPLICATE_ID.match(exc.msg or "")
        if twice:  # libxml2 stops at a repeated xml:id; say it as the edition's rule does
            message = f"xml:id {twice['id']!r} is used twice; ids must be unique in a file"
            return None, [error(display, line, col, message, DUPLICATE_ID)]
        return None, [error(display, line, col, f"not well-formed XML: {exc.msg}", syntax_code)]
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:  # the scan missed it
        return None, [_doctype(display, 1)]
    return tree, []


def doctype_line(data: bytes) -> int:
    """The line of a DOCTYPE declaration in the prolog of ``data``, or 0 when there is none.

    A DOCTYPE can only stand before the root element, so only the prolog is scanned
    (a ``<!DOCTYPE`` quoted in a comment or CDATA section later on is text).
    """
    if data.startswith(UTF16_BOMS):
        try:
            head = data[:4096].decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return 0
    else:
        head = data.removeprefix(UTF8_BOM)
    position = 0
    while True:
        match = PROLOG_ITEM.match(head, position)
        if not match or match.end() == position:
            break
        position = match.end()
    if DOCTYPE.match(head, position):
        return head.count(b"\n", 0, position) + 1
    return 0


def _too_large(display: str, size: int, limit: int) -> Diagnostic:
    return error(
        display,
        0,
        0,
        f"is {size:,} bytes, more than the limit of {limit:,} for one XML file; "
        f"raise it with {MAX_BYTES_VARIABLE}=<bytes> if the file is trusted",
        "xml.too-large",
    )


def _doctype(display: str, line: int) -> Diagnostic:
    return error(
        display,
        line,
        1,
        "has a DOCTYPE declaration; TEI needs none, and its entities could read local files "
        "or expand without end, so the file is refused unread",
        "xml.doctype",
    )
