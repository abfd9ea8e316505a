"""Serialize TEI trees to bytes: deterministic, indented only where indentation is harmless.

lxml's pretty printer would indent inside element-only inline markup
(``persName/choice/orig``) and so change the text; here only structural
containers, whose children are blocks, get newlines and indentation.
"""

from __future__ import annotations

from lxml import etree

# Elements whose children are blocks or header fields: whitespace between them means nothing.
CONTAINERS = frozenset(
    [
        "TEI",
        "teiCorpus",
        "teiHeader",
        "fileDesc",
        "titleStmt",
        "respStmt",
        "publicationStmt",
        "availability",
        "sourceDesc",
        "encodingDesc",
        "editorialDecl",
        "correction",
        "normalization",
        "hyphenation",
        "segmentation",
        "interpretation",
        "tagsDecl",
        "profileDesc",
        "langUsage",
        "creation",
        "revisionDesc",
        "listChange",
        "standOff",
        "listPerson",
        "person",
        "text",
        "front",
        "body",
        "back",
        "div",
        "list",
        "listBibl",
    ]
)


def indent_blocks(element: etree._Element, level: int = 0) -> None:
    """Indent the children of structural containers, two spaces a level; leave text alone."""
    if not isinstance(element.tag, str) or etree.QName(element).localname not in CONTAINERS:
        return
    if not len(element):
        return
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        return  # mixed content: whitespace here would be text
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        child.tail = inner
        indent_blocks(child, level + 1)
    element[-1].tail = "\n" + "  " * level


def serialize(root: etree._Element) -> bytes:
    """UTF-8 XML with a declaration and a final newline; the same tree always gives the same bytes."""
    indent_blocks(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
