"""Write the register of persons as TEI: a document's ``standOff/listPerson`` and ``tei/persons.xml``.

Each person is ``<person xml:id>`` with its display name in ``persName``, ``birth`` and
``death`` with ``@when``, each role as ``occupation``, the description as ``note``
and each authority id as ``idno`` (``type="wikidata"``, ``viaf``, ``gnd``, ``lc``).
A converted document carries the persons it mentions, so it stands alone for exchange;
``persons.xml`` carries them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from edition import __version__
from edition.config import EditionConfig
from edition.encode import NSMAP, TEI_NS, XML_NS, sub, tei
from edition.header import ISO_DATE, fill_publication
from edition.persons import Personography, PersonRecord

# The file name of the corpus personography beside the documents' TEI.
PERSONOGRAPHY_FILE = "persons.xml"


def person_element(record: PersonRecord) -> etree._Element:
    """``<person xml:id>`` for one record of the register."""
    person = tei("person", {f"{{{XML_NS}}}id": record.id})
    sub(person, "persName", text=record.name)
    for tag, when in (("birth", record.birth), ("death", record.death)):
        if when and ISO_DATE.fullmatch(when):
            sub(person, tag, {"when": when})
    for role in record.roles:
        sub(person, "occupation", text=role)
    for kind, value in record.authority.items():
        sub(person, "idno", {"type": kind}, value)
    if record.description:
        sub(person, "note", text=record.description)
    return person


def stand_off(records: Iterable[PersonRecord]) -> etree._Element | None:
    """``<standOff><listPerson>`` for ``records``, or None when there are none."""
    people = list(records)
    if not people:
        return None
    element = tei("standOff")
    listing = sub(element, "listPerson")
    for record in people:
        listing.append(person_element(record))
    return element


def mentioned(persons: Personography, refs: Iterable[str]) -> list[PersonRecord]:
    """The records that ``refs`` (``#id`` pointers) name, in the register's order."""
    wanted = {ref.removeprefix("#") for ref in refs}
    return [record for record in persons if record.id in wanted]


def personography_document(
    config: EditionConfig, persons: Personography, release_date: str = ""
) -> etree._Element:
    """``persons.xml``: a TEI document whose ``standOff/listPerson`` holds the whole register."""
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap=NSMAP)  # type: ignore[arg-type]
    root.set(f"{{{XML_NS}}}id", "persons")
    root.set(f"{{{XML_NS}}}lang", config.language)
    header = sub(root, "teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", text=f"{config.title}: persons")
    for editor in config.editors:
        sub(title_stmt, "editor", text=editor.name)
    resp = sub(title_stmt, "respStmt", {f"{{{XML_NS}}}id": "auto"})
    sub(resp, "resp", text="automatic encoding")
    sub(resp, "name", text=f"edition {__version__}")
    fill_publication(sub(file_desc, "publicationStmt"), config, "", config.licence, release_date)
    source = sub(file_desc, "sourceDesc")
    sub(source, "p", text="The edition's register of persons (persons.yaml), compiled by its editors.")
    listing = stand_off(persons) if len(persons) else None
    if listing is None:
        listing = tei("standOff")
        sub(listing, "listPerson")
    root.append(listing)
    return root
