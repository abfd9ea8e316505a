"""The edition's own rules for a TEI file, beyond tei_all: checks over a parsed tree, pure.

Each rule reports with a stable code (file:line located by the element):

* ``rules.id.duplicate`` (error) — an ``xml:id`` used twice in one file;
* ``rules.ref.unresolved`` (error) — a pointer in ``@ref``, ``@target`` or ``@corresp``
  (``#p5``, ``persons.xml#yezhov``) that names no ``xml:id`` of this file or of the
  file it names, when that file is among those checked;
* ``rules.ref.elsewhere`` (warning) — a name (``persName``, ``placeName`` …) pointing at
  ``#id`` that is neither here nor in the register, in a file that carries no list of
  persons, places or organizations of its own: a document exported from a larger whole
  (a FRUS document's ``persName @corresp="#p_HLW1"`` names the volume's list of persons);
* ``rules.ref.external`` (warning) — a pointer into another file that was not checked;
* ``rules.person.unused`` (warning) — a ``standOff`` person no pointer of the file names;
* ``rules.note.empty`` (error) — a ``note`` with neither text nor elements.

Web addresses and other URIs with a scheme (``https:``, ``urn:``, ``mailto:``) and
TEI pointer schemes (``#xpath(…)``) are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from lxml import etree

from edition.diagnostics import Diagnostic, error, warning

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DUPLICATE_ID = "rules.id.duplicate"
POINTER_ATTRIBUTES = ("ref", "target", "corresp")
# Attributes that may name a standOff person: the pointers, and who said or did something.
PERSON_POINTERS = (*POINTER_ATTRIBUTES, "who", "resp", "sameAs")
# A URI with a scheme is not a pointer into a file here: "https://x.org/#a", "urn:x", "mailto:a".
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Elements that name someone or something, whose pointers may lead into a register elsewhere.
NAME_ELEMENTS = frozenset(
    {"persName", "placeName", "orgName", "name", "rs", "geogName", "settlement", "country"}
)
# Lists whose presence says a file carries its own register.
REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listNym")
EMPTY_NOTE = "<note> is empty: it has neither text nor elements"


def _attributes(*names: str, element: bool = True) -> etree.XPath:
    """The values of the attributes ``names`` (no namespace; ``xml:id``) on the element given
    and under it, in document order; with ``element``, each knows its own (``getparent``).
    Found by libxml2, not by asking each of a document's elements for each name in Python:
    the rules over a file took ~1 ms, most of it that."""
    path = "|".join(f"descendant-or-self::*/@{name}" for name in names)
    return etree.XPath(path, smart_strings=element)


_XML_IDS = _attributes("xml:id", element=False)
_XML_IDS_WHERE = _attributes("xml:id")
_POINTERS = _attributes(*POINTER_ATTRIBUTES, element=False)
_POINTERS_WHERE = _attributes(*POINTER_ATTRIBUTES)
_PERSON_POINTERS = _attributes(*PERSON_POINTERS, element=False)


def _values(path: etree.XPath, root: etree._Element) -> list[str]:
    return cast(list[str], path(root))


def _placed(path: etree.XPath, root: etree._Element) -> list[tuple[str, etree._Element, str]]:
    """Each attribute's value, with its element and its name."""
    found = []
    for value in cast(list[etree._ElementUnicodeResult], path(root)):
        element = value.getparent()
        assert element is not None  # an attribute's is its element
        found.append((str(value), element, str(value.attrname)))
    return found


@dataclass(frozen=True)
class Context:
    """What a file's pointers may point into besides itself.

    ``files`` maps a file name, as a pointer writes it (``persons.xml``), to the ids in
    it; ``register`` is the name of the corpus personography among them, whose person
    ids also resolve a name's bare ``#id`` (as the site does).
    """

    files: Mapping[str, frozenset[str]] = field(default_factory=dict)
    register: str = "persons.xml"


def element_ids(root: etree._Element) -> frozenset[str]:
    """Every ``xml:id`` in the tree under ``root``."""
    return frozenset(value for value in _values(_XML_IDS, root) if value)


def check_tree(
    root: etree._Element, display: str, context: Context | None = None
) -> list[Diagnostic]:
    """Every rule over one file's tree; diagnostics name ``display`` and the element's line."""
    context = context or Context()
    given = [value for value in _values(_XML_IDS, root) if value]
    problems = _duplicate_ids(root, display, given)
    problems += _pointers(root, display, frozenset(given), context)
    problems += _unused_persons(root, display)
    problems += _empty_notes(root, display)
    return sorted(problems, key=lambda d: (d.line, d.code, d.message))


# Marks a file a pointer names whole, without an id (`consulted_files`).
PRESENCE = "\0"


def consulted_files(root: etree._Element, context: Context) -> set[str]:
    """The files whose ids the rules over ``root`` may read — those its pointers name with an
    id, and the register —, and, marked with `PRESENCE`, those they name whole: whether such
    a file is checked too is all that counts (`_check_pointer`), not its ids. So the corpus
    file, which names every document whole, is not checked again when a document's ids change."""
    by_ids, whole = {context.register}, set[str]()
    for value in _values(_POINTERS, root):
        for token in value.split():
            file_part, _, fragment = token.partition("#")
            if file_part and not (URI_SCHEME.match(token) or "(" in token):
                (by_ids if fragment else whole).add(file_part)
    return by_ids | {PRESENCE + name for name in whole - by_ids}


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def _name(element: etree._Element) -> str:
    qname = etree.QName(element)
    return qname.localname if qname.namespace in (TEI_NS, None) else f"{element.prefix}:{qname.localname}"


def _duplicate_ids(root: etree._Element, display: str, given: list[str]) -> list[Diagnostic]:
    """``given``: the file's ids, in document order."""
    if len(set(given)) == len(given):
        return []  # as almost always: no element needs finding
    first: dict[str, int] = {}
    problems = []
    for xml_id, element, _ in _placed(_XML_IDS_WHERE, root):
        if not xml_id:
            continue
        if xml_id in first:
            problems.append(
                error(
                    display,
                    _line(element),
                    0,
                    f"xml:id {xml_id!r} is already the id of an element on line {first[xml_id]}; "
                    "ids must be unique in a file",
                    DUPLICATE_ID,
                )
            )
        else:
            first[xml_id] = _line(element)
    return problems


def _pointers(root: etree._Element, display: str, ids: frozenset[str], context: Context) -> list[Diagnostic]:
    register = context.files.get(context.register, frozenset())
    self_contained = any(
        root.find(f".//{{{TEI_NS}}}{name}") is not None for name in REGISTER_LISTS
    )
    problems = []
    for value, element, attribute in _placed(_POINTERS_WHERE, root):
        for token in value.split():
            problem = _check_pointer(token, element, attribute, display, ids, register, self_contained, context)
            if problem is not None:
                problems.append(problem)
    return problems


def _check_pointer(
    token: str,
    element: etree._Element,
    attribute: str,
    display: str,
    ids: frozenset[str],
    register: frozenset[str],
    self_contained: bool,
    context: Context,
) -> Diagnostic | None:
    if URI_SCHEME.match(token) or "(" in token:
        return None
    where = f"<{_name(element)} @{attribute}={token!r}>"
    file_part, _, fragment = token.partition("#")
    if not file_part:
        if fragment in ids:
            return None
        if _name(element) in NAME_ELEMENTS:
            if fragment in register:
                return None
            if not self_contained:
                return warning(
                    display,
                    _line(element),
                    0,
                    f"{where} names no xml:id in this file or the register; presumably a list "
                    "in the work it was taken from (not checked)",
                    "rules.ref.elsewhere",
                )
        return error(
            display, _line(element), 0, f"{where} points at no xml:id in this file",
            "rules.ref.unresolved",
        )  # fmt: skip
    if file_part not in context.files:
        return warning(
            display,
            _line(element),
            0,
            f"{where} points into {file_part}, which was not checked with this file",
            "rules.ref.external",
        )
    if fragment and fragment not in context.files[file_part]:
        return error(
            display, _line(element), 0, f"{where} points at no xml:id in {file_part}",
            "rules.ref.unresolved",
        )  # fmt: skip
    return None


def _unused_persons(root: etree._Element, display: str) -> list[Diagnostic]:
    """Persons a document's ``standOff`` lists but never names (a register has no text: skip)."""
    if root.find(f"{{{TEI_NS}}}text") is None:
        return []
    named = {
        token.rpartition("#")[2] for value in _values(_PERSON_POINTERS, root) for token in value.split() if "#" in token
    }
    return [
        warning(
            display,
            _line(person),
            0,
            f"person {person.get(XML_ID)!r} is listed in standOff but no pointer names them",
            "rules.person.unused",
        )
        for person in root.iterfind(f"{{{TEI_NS}}}standOff//{{{TEI_NS}}}person")
        if person.get(XML_ID) and person.get(XML_ID) not in named
    ]


def _empty_notes(root: etree._Element, display: str) -> list[Diagnostic]:
    return [
        error(display, _line(note), 0, EMPTY_NOTE, "rules.note.empty")
        for note in root.iter(f"{{{TEI_NS}}}note")
        if not len(note) and not (note.text or "").strip()
    ]
