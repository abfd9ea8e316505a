"""Convert one source text to a TEI document: blocks, detect, resolve, encode, check.

This is the converter's whole pipeline for a document, pure from values to
values: `convert_document` reads nothing from disk and writes nothing.

1. split the source into blocks (`edition.blocks`);
2. run every enabled detector over it (`edition.detectors`);
3. resolve overlapping annotations by priority (`edition.resolve`);
4. encode the body, assign ids, build the header (`edition.encode`, `edition.ids`, `edition.header`)
   and the ``standOff`` with the persons the document names (`edition.personography`);
5. check that the diplomatic reading gives the source back (`edition.reading`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from edition.anchors import Anchor, lock_text, stabilize_ids
from edition.annotations import Annotation
from edition.blocks import split_blocks
from edition.config import EditionConfig
from edition.corpus import document_title
from edition.detectors import DetectionContext, Registered, Registers, ReviewItem
from edition.diagnostics import Diagnostic
from edition.encode import TEI_NS, Encoder
from edition.header import HeaderFacts, build_header, tei_document
from edition.ids import assign_ids, document_id, xml_ids
from edition.personography import mentioned, stand_off
from edition.pickling import ByFields
from edition.reading import diplomatic_text, first_difference, plain_text
from edition.resolve import resolve
from edition.serialize import serialize
from edition.source import Source


@dataclass(frozen=True, slots=True)
class Converted(ByFields):
    """A converted document: its id, its TEI as bytes, and what conversion reported."""

    name: str  # the text's file stem
    doc_id: str
    tei: bytes
    diagnostics: tuple[Diagnostic, ...]
    review: tuple[ReviewItem, ...] = ()  # what the detectors ask the editor to decide
    # The document's lines of the anchors lock after this build (`lock_text`); from a build,
    # `edition.cache.AS_ASKED` when they are the lines the lock has.
    lock_lines: bytes = b""
    unresolved: frozenset[str] = frozenset()  # ids it published before that its TEI lacks
    title: str = ""  # as its header gives it (`edition.corpus.document_title`)
    tei_sha: str = ""  # SHA-256 of ``tei``, kept when the bytes are let go (hex)


def convert_document(
    source: Source,
    name: str,
    config: EditionConfig,
    detectors: Sequence[Registered],
    release_date: str = "",
    registers: Registers | None = None,
    anchors: Sequence[Anchor] = (),
) -> Converted:
    """Convert ``source`` (the text of ``texts/<name>.txt``) to TEI under the edition's settings.

    ``anchors`` are the ids this document published before (its lines of the lock):
    headings and paragraphs keep them (`edition.anchors`).
    """
    meta = config.document(name)
    blocks = tuple(split_blocks(source.text))
    diagnostics: list[Diagnostic] = []
    review: list[ReviewItem] = []
    ranked: list[tuple[int, Annotation]] = []
    editorial: list[tuple[str, str]] = []  # what each detector that ran says it did, for the header
    for entry in detectors:
        options = config.detector(entry.name)
        if not options.enabled:
            continue
        said = getattr(entry.detector, "editorial", None)
        if said:
            editorial.append(said)
        merged = {**entry.detector.defaults, **options.options}
        context = DetectionContext(source, blocks, meta, merged, registers or Registers(), name)
        detection = entry.detector.detect(context)
        ranked.extend((entry.priority, a) for a in detection.annotations)
        diagnostics.extend(detection.diagnostics)
        review.extend(detection.review)
    kept, _dropped = resolve(ranked)

    body = Encoder(source.text, kept).body(blocks)
    assign_ids(body)
    doc_id = document_id(name)
    locked = stabilize_ids(doc_id, body, anchors)
    first_page, last_page = page_range(body, meta.first_page)
    facts = HeaderFacts(
        title=meta.title or _first_heading(body) or name,
        file_name=f"{name}.txt",
        url=f"{config.base_url}{doc_id}/index.html" if config.base_url else "",
        first_page=first_page,
        last_page=last_page,
        release_date=release_date,
        editorial=tuple(editorial),
    )
    header = build_header(config, meta, source, facts)
    persons = (registers or Registers()).persons
    named = mentioned(persons, (a.attr("ref") for a in kept if a.kind == "persName"))
    root = tei_document(doc_id, meta.language or config.language, header, body, stand_off(named))
    diagnostics.extend(check_lossless(source, root))
    unresolved = frozenset(a.id for a in anchors) - xml_ids(root)
    tei = serialize(root)
    return Converted(name, doc_id, tei, tuple(diagnostics), tuple(review), lock_text(locked),
                     unresolved, document_title(root), hashlib.sha256(tei).hexdigest())  # fmt: skip


def check_lossless(source: Source, root: etree._Element) -> list[Diagnostic]:
    """An error at the first place where the TEI's diplomatic reading departs from the source."""
    offset = first_difference(source.text, diplomatic_text(root))
    if offset is None:
        return []
    found = source.text[offset : offset + 30].split("\n")[0]
    return [
        source.error(
            offset,
            f"the TEI does not give back the source from here ({found!r}); this is a bug in "
            "edition — please report it with this text",
            "convert.lossless",
        )
    ]


def page_range(body: etree._Element, first_page: str = "") -> tuple[str, str]:
    """The pages a document spans: from the page before its first break, or as the metadata says."""
    pages = [pb.get("n", "") for pb in body.iter(f"{{{TEI_NS}}}pb")]
    if not pages:
        return first_page, first_page
    if not first_page:
        first_page = (
            str(int(pages[0]) - 1) if pages[0].isdigit() and int(pages[0]) > 1 else pages[0]
        )
    return first_page, pages[-1]


def _first_heading(body: etree._Element) -> str:
    """The text of the first heading that is not a source note (a file-number line)."""
    heads = list(body.iter(f"{{{TEI_NS}}}head"))
    chosen = next((h for h in heads if h.get("type") != "source-note"), heads[0] if heads else None)
    return plain_text(chosen) if chosen is not None else ""
