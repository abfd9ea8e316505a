"""What the editorial-principles page says: the editorialDecl texts and the interventions counted.

The words come from each document's ``encodingDesc/editorialDecl`` (the same text
said by several documents is said once, naming them when not all say it); the
numbers come from the texts themselves: every ``choice``, bare ``sic`` and linked
name, by kind, by who made it and by how sure they were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from edition.render.teiread import NS, TEI_NS, XML_ID, normalize_space, reading_text

# editorialDecl sections in the order the page gives them, with their headings.
SECTIONS = {
    "correction": "Correction",
    "normalization": "Normalization",
    "interpretation": "Interpretation",
    "segmentation": "Segmentation",
    "hyphenation": "Hyphenation",
    "quotation": "Quotation",
    "punctuation": "Punctuation",
    "stdVals": "Standard values",
}
# Kinds of intervention, as the page names them.
KINDS = {
    "name": "Names regularized (original form kept in orig)",
    "reg": "Other regularizations (orig → reg)",
    "corr": "Corrections (sic → corr)",
    "sic": "Errors flagged but not corrected (sic)",
    "expan": "Abbreviations expanded (abbr → expan)",
    "link": "Names linked to a person without change",
}
CERTAINTY_ORDER = {"high": 0, "medium": 1, "low": 2, "unknown": 3, "": 4}


@dataclass(frozen=True)
class DeclParagraph:
    text: str
    documents: tuple[str, ...]  # titles of the documents that say it; () when all do


@dataclass(frozen=True)
class InterventionCount:
    kind: str  # a key of KINDS
    label: str
    resp: str  # who, in words
    cert: str
    count: int
    examples: tuple[str, ...]  # "Zinoxyez → Zinoviev", at most three


@dataclass(frozen=True)
class Principles:
    sections: tuple[tuple[str, tuple[DeclParagraph, ...]], ...]  # (heading, paragraphs)
    interventions: tuple[InterventionCount, ...]
    responsible: tuple[tuple[str, str], ...]  # ("#auto", "automatic encoding (edition 0.1.0)")


def resp_labels(root: etree._Element) -> dict[str, str]:
    """``#id`` → who that is, for every respStmt, editor, author or name with an xml:id."""
    labels: dict[str, str] = {}
    header = root.find("tei:teiHeader", NS)
    if header is None:
        return labels
    for element in header.iter():
        if not isinstance(element.tag, str):
            continue
        xml_id = element.get(XML_ID)
        if not xml_id:
            continue
        if etree.QName(element).localname == "respStmt":
            resp = normalize_space(" ".join(reading_text(r) for r in element.findall("tei:resp", NS)))
            names = ", ".join(
                reading_text(n)
                for n in element
                if isinstance(n.tag, str) and etree.QName(n).localname in {"name", "persName", "orgName"}
            )
            label = f"{resp} ({names})" if resp and names else resp or names
        else:
            label = reading_text(element)
        if label:
            labels[f"#{xml_id}"] = label
    return labels


@dataclass(frozen=True)
class Declared:
    """What one document contributes to the principles page: its words and its interventions."""

    said: tuple[tuple[str, str], ...]  # (editorialDecl section, paragraph text)
    interventions: tuple[tuple[tuple[str, str, str], str], ...]  # ((kind, who, cert), example)
    responsible: tuple[tuple[str, str], ...]  # (resp token, who that is), first label wins


def declared(root: etree._Element, labels: Mapping[str, str]) -> Declared:
    """One document's editorialDecl paragraphs and interventions; ``labels`` from `resp_labels`."""
    said: list[tuple[str, str]] = []
    decl = root.find("tei:teiHeader/tei:encodingDesc/tei:editorialDecl", NS)
    if decl is not None:
        for section in decl:
            if not isinstance(section.tag, str):
                continue
            name = etree.QName(section).localname
            for p in section.findall("tei:p", NS) or [section]:
                text = reading_text(p)
                if text:
                    said.append((name, text))
    found: list[tuple[tuple[str, str, str], str]] = []
    responsible: dict[str, str] = {}
    body = root.find("tei:text/tei:body", NS)
    for kind, element, example in _interventions(body) if body is not None else ():
        resp_token = next(
            (e.get("resp") for e in element if e is not None and e.get("resp")), ""
        ) or ""
        cert = next((e.get("cert") for e in element if e is not None and e.get("cert")), "")
        who = ", ".join(labels.get(t, t.lstrip("#")) for t in resp_token.split())
        for token in resp_token.split():
            responsible.setdefault(token, labels.get(token, token.lstrip("#")))
        found.append(((kind, who or "not stated", cert or "unknown"), example))
    return Declared(tuple(said), tuple(found), tuple(responsible.items()))


@dataclass(frozen=True)
class Gathered:
    """What some documents, in the edition's order, contribute to the principles page
    (`gather_part`); the parts of consecutive documents add up (`gather`)."""

    documents: int
    said: dict[str, dict[str, list[str]]]  # section → paragraph → the titles of the documents saying it
    counts: Counter[tuple[str, str, str]]  # (kind, who, cert) → interventions
    examples: dict[tuple[str, str, str], list[str]]  # the first three of each
    responsible: dict[str, str]  # resp token → who that is, the first label found


def gather_part(documents: Sequence[tuple[str, Declared]]) -> Gathered:
    """The part of the principles of ``(title, what it declared)`` for each of these documents."""
    part = Gathered(len(documents), {}, Counter(), {}, {})
    for title, document in documents:
        for name, text in document.said:
            part.said.setdefault(name, {}).setdefault(text, []).append(title)
        for key, example in document.interventions:
            part.counts[key] += 1
            _add_example(part.examples.setdefault(key, []), example)
        for token, label in document.responsible:
            part.responsible.setdefault(token, label)
    return part


def _add_example(found: list[str], example: str) -> None:
    if example and example not in found and len(found) < 3:
        found.append(example)


def gather(parts: Sequence[Gathered]) -> Principles:
    """The principles of an edition from the parts of its documents, in the edition's order."""
    said: dict[str, dict[str, list[str]]] = {}
    counts: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], list[str]] = {}
    responsible: dict[str, str] = {}
    for part in parts:
        for name, texts in part.said.items():
            section = said.setdefault(name, {})
            for text, titles in texts.items():
                section.setdefault(text, []).extend(titles)
        counts.update(part.counts)
        for key, found in part.examples.items():
            kept = examples.setdefault(key, [])
            for example in found:
                _add_example(kept, example)
        for token, label in part.responsible.items():
            responsible.setdefault(token, label)
    everyone = sum(part.documents for part in parts)
    sections: list[tuple[str, tuple[DeclParagraph, ...]]] = []
    for name in [*SECTIONS, *sorted(set(said) - set(SECTIONS))]:
        if name not in said:
            continue
        paragraphs = tuple(
            DeclParagraph(text, () if len(titles) == everyone else tuple(dict.fromkeys(titles)))
            for text, titles in said[name].items()
        )
        sections.append((SECTIONS.get(name, name), paragraphs))
    kinds = list(KINDS)
    interventions = tuple(
        InterventionCount(kind, KINDS[kind], who, cert, n, tuple(examples[(kind, who, cert)]))
        for (kind, who, cert), n in sorted(
            counts.items(),
            key=lambda item: (kinds.index(item[0][0]), CERTAINTY_ORDER.get(item[0][2], 9), item[0][1]),
        )
    )
    return Principles(tuple(sections), interventions, tuple(sorted(responsible.items())))


def _interventions(
    body: etree._Element,
) -> list[tuple[str, tuple[etree._Element | None, ...], str]]:
    """(kind, elements carrying @resp/@cert in order of precedence, example) for each one."""
    found: list[tuple[str, tuple[etree._Element | None, ...], str]] = []
    for element in body.iter(f"{{{TEI_NS}}}choice", f"{{{TEI_NS}}}sic", f"{{{TEI_NS}}}persName"):
        name = etree.QName(element).localname
        parent = element.getparent()
        parent_name = etree.QName(parent).localname if parent is not None else ""
        if name == "choice":
            readings = {etree.QName(c).localname: c for c in element if isinstance(c.tag, str)}
            shown = next((readings[n] for n in ("reg", "corr", "expan") if n in readings), None)
            source = next((readings[n] for n in ("orig", "sic", "abbr") if n in readings), None)
            if shown is None:
                continue
            kind = etree.QName(shown).localname
            in_name = parent_name in {"persName", "rs", "name"}
            if kind == "reg" and in_name:
                kind = "name"
            example = (
                f"{reading_text(source)} \u2192 {reading_text(shown)}" if source is not None else ""
            )
            found.append((kind, (shown, element, parent if in_name else None), example))
        elif name == "sic" and parent_name != "choice":
            found.append(("sic", (element,), reading_text(element)))
        elif (
            name == "persName"
            and element.get("ref")
            and element.find(".//tei:choice", NS) is None
            and (element.get("resp") or element.get("cert"))
        ):
            found.append(("link", (element,), reading_text(element)))
    return found
