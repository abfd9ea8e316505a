"""What the corpus-wide pages need of one document, read from its TEI in one pass.

The title page, the persons' pages, the principles page and the neighbours'
links need a few facts of every document, not its tree. A `Digest` holds them,
so a build keeps ten thousand digests in memory instead of ten thousand trees,
and reuses the digest of a TEI file it has seen before (`edition.render.memo`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from edition.render.html import name_refs
from edition.render.persons import Mention, PersonRecord, find_mentions, read_persons
from edition.render.principles import Declared, declared, resp_labels
from edition.render.teiread import NS, DocumentInfo


@dataclass(frozen=True)
class Digest:
    info: DocumentInfo
    persons: tuple[PersonRecord, ...]  # its own standOff register entries
    mentions: tuple[Mention, ...]  # its persName[@ref], in order
    refs: tuple[str, ...]  # every person id a name of its body points at, in order, once
    labels: tuple[tuple[str, str], ...]  # "#auto" → who that is (`resp_labels`)
    declared: Declared  # its editorialDecl and interventions, for the principles page


def digest(info: DocumentInfo, root: etree._Element) -> Digest:
    body = root.find("tei:text/tei:body", NS)
    assert body is not None  # as_document refuses a TEI without one
    labels = resp_labels(root)
    return Digest(
        info=info,
        persons=tuple(read_persons(root)),
        mentions=tuple(find_mentions(info.id, body)),
        refs=tuple(dict.fromkeys(name_refs(body))),
        labels=tuple(labels.items()),
        declared=declared(root, labels),
    )
