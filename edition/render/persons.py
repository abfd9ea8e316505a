"""The persons of an edition as the site shows them: register entries, mentions, a picture.

Register entries come from ``standOff/listPerson/person`` — each document's own, and
a corpus register (``persons.xml``) that wins where both describe one person.
Mentions are the ``persName[@ref]`` of every body, each with the nearest TEI id
around it (the page anchor), the page it stands on and a line of context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from urllib.parse import quote

from lxml import etree

from edition.render.teiread import NS, TEI_NS, XML_ID, normalize_space, reading_text

# A person id that may name a folder of the site: "yezhov", "p-12.a"; not "../x".
PERSON_ID = re.compile(r"^[^\W\d][\w.-]*$")
# An authority id safe to put in a URL path: "Q193478", "n79021164", "118607626".
AUTHORITY_ID = re.compile(r"^[\w.:-]+$")
WEB_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
# Where each authority's record of an id lives.
AUTHORITY_URLS = {
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "gnd": "https://d-nb.info/gnd/{}",
    "lcnaf": "https://id.loc.gov/authorities/names/{}",
    "loc": "https://id.loc.gov/authorities/names/{}",
    "isni": "https://isni.org/isni/{}",
    "orcid": "https://orcid.org/{}",
    "geonames": "https://www.geonames.org/{}",
}
AUTHORITY_LABELS = {
    "wikidata": "Wikidata",
    "viaf": "VIAF",
    "gnd": "GND",
    "lcnaf": "Library of Congress",
    "loc": "Library of Congress",
    "isni": "ISNI",
    "orcid": "ORCID",
}
# Elements whose text is the context shown around a mention.
CONTEXT_BLOCKS = frozenset(
    {
        "ab", "byline", "cell", "dateline", "docAuthor", "head", "item", "l", "label", "note",
        "p", "salute", "signed", "trailer",
    }
)  # fmt: skip
CONTEXT_CHARS = 70  # characters of context on each side of a mention


@dataclass(frozen=True)
class Authority:
    """One authority record: ``idno type="wikidata"`` → Wikidata, Q193478, its URL."""

    type: str
    label: str
    value: str
    url: str  # "" when the type is unknown and the value is not a URL


@dataclass(frozen=True)
class PersonRecord:
    """What the register says of one person."""

    id: str
    name: str
    forms: tuple[str, ...] = ()  # other names the register gives
    birth: str = ""
    death: str = ""
    description: str = ""
    authorities: tuple[Authority, ...] = ()

    @property
    def dates(self) -> str:
        """"1883–1936", "b. 1895", "d. 1938", or ""."""
        if self.birth and self.death:
            return f"{self.birth}\u2013{self.death}"
        if self.birth:
            return f"b. {self.birth}"
        if self.death:
            return f"d. {self.death}"
        return ""


@dataclass(frozen=True)
class Mention:
    """One ``persName`` pointing at a person, where it stands and what surrounds it."""

    person_id: str
    doc_id: str
    anchor: str  # the nearest TEI xml:id around it ("p1", "n26"), "" when none
    page: str  # the page number it stands on, "" before any page break
    before: str
    text: str
    after: str


@dataclass
class Personography:
    """Every person of the edition: the registers' entries, filled from the documents' own."""

    persons: dict[str, PersonRecord] = field(default_factory=dict)

    def add_register(self, root: etree._Element, *, authoritative: bool) -> None:
        """Take in the ``listPerson`` entries of a TEI root; ``authoritative`` ones win."""
        self.add_persons(read_persons(root), authoritative=authoritative)

    def add_persons(self, records: Iterable[PersonRecord], *, authoritative: bool) -> None:
        for person in records:
            known = self.persons.get(person.id)
            if known is None:
                self.persons[person.id] = person
            elif authoritative:
                self.persons[person.id] = _fill(person, known)
            else:
                self.persons[person.id] = _fill(known, person)


# What a register entry may leave empty and another entry for the same person fill.
FILLED = ("forms", "birth", "death", "description", "authorities")


def _fill(first: PersonRecord, second: PersonRecord) -> PersonRecord:
    """``first``, with what it leaves empty taken from ``second``."""
    if first == second:
        return first  # the usual case: every document repeats the register's entry
    taken = {name: getattr(second, name) for name in FILLED if not getattr(first, name)}
    return replace(first, **taken) if any(taken.values()) else first


def by_person(mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
    """Mentions grouped by the person they name, each group in the given order."""
    found: dict[str, list[Mention]] = {}
    for mention in mentions:
        found.setdefault(mention.person_id, []).append(mention)
    return found


def person_href(person_id: str) -> str:
    """The person page's path from the site root, naming the file."""
    return f"persons/{quote(person_id)}/index.html"


def ref_ids(ref: str) -> list[str]:
    """The local ids a ``@ref`` names: "#yezhov" and "persons.xml#yezhov" → ["yezhov"]."""
    found = []
    for token in ref.split():
        if "#" in token and not WEB_URL.match(token):
            local = token.rsplit("#", 1)[1]
            if local:
                found.append(local)
    return found


TEXT = f"{{{TEI_NS}}}text"


def read_persons(root: etree._Element) -> list[PersonRecord]:
    """The ``person`` entries of every ``listPerson`` in ``root``, outside the text."""
    records = []
    for person in root.iterfind(".//tei:listPerson/tei:person", NS):
        if next(person.iterancestors(TEXT), None) is not None:  # an XPath a person took 0.1 ms a document
            continue
        person_id = person.get(XML_ID, "")
        if not PERSON_ID.match(person_id):
            continue
        names = [reading_text(n) for n in person.findall("tei:persName", NS)]
        names = [n for n in names if n]
        records.append(
            PersonRecord(
                id=person_id,
                name=names[0] if names else person_id,
                forms=tuple(dict.fromkeys(names[1:])),
                birth=_event(person, "birth"),
                death=_event(person, "death"),
                description=" ".join(
                    t for t in (reading_text(n) for n in person.findall("tei:note", NS)) if t
                ),
                authorities=tuple(
                    a for a in (_authority(i) for i in person.findall("tei:idno", NS)) if a
                ),
            )
        )
    return records


def _event(person: etree._Element, name: str) -> str:
    found = person.find(f"tei:{name}", NS)
    if found is None:
        return ""
    return found.get("when") or reading_text(found) or found.get("notBefore") or ""


def _authority(idno: etree._Element) -> Authority | None:
    kind = (idno.get("type") or "").strip()
    value = normalize_space(idno.text or "")
    if not value:
        return None
    key = kind.lower()
    label = AUTHORITY_LABELS.get(key, kind or "Identifier")
    if WEB_URL.match(value):
        return Authority(kind, label, value, value)
    if key in AUTHORITY_URLS and AUTHORITY_ID.match(value):
        return Authority(kind, label, value, AUTHORITY_URLS[key].format(quote(value)))
    return Authority(kind, label, value, "")


def find_mentions(doc_id: str, body: etree._Element) -> list[Mention]:
    """Every ``persName[@ref]`` of a body, in document order, with anchor, page and context."""
    mentions = []
    page = ""
    for element in body.iter(f"{{{TEI_NS}}}pb", f"{{{TEI_NS}}}persName"):
        if etree.QName(element).localname == "pb":
            page = element.get("n", page)
            continue
        ids = ref_ids(element.get("ref") or element.get("corresp") or "")  # FRUS uses @corresp
        if not ids:
            continue
        before, text, after = _context(element)
        for person_id in ids:
            mentions.append(
                Mention(person_id, doc_id, _anchor(element), page, before, text, after)
            )
    return mentions


def _anchor(element: etree._Element) -> str:
    for ancestor in element.iterancestors():
        xml_id = ancestor.get(XML_ID)
        if xml_id:
            return str(xml_id)
    return ""


def _context(element: etree._Element) -> tuple[str, str, str]:
    """The reading text before, of and after ``element`` within its paragraph, trimmed."""
    block = next(
        (a for a in element.iterancestors() if etree.QName(a).localname in CONTEXT_BLOCKS),
        element.getparent(),
    )
    if block is None:
        return "", reading_text(element), ""
    parts: dict[str, list[str]] = {"before": [], "text": [], "after": []}
    _walk(block, element, parts, ["before"], top=True)
    before = normalize_space("".join(parts["before"]) + "\u0001").removesuffix("\u0001")
    text = normalize_space("".join(parts["text"]))
    after = normalize_space("\u0001" + "".join(parts["after"])).removeprefix("\u0001")
    return _trim_left(before), text, _trim_right(after)


def _walk(
    element: etree._Element,
    target: etree._Element,
    parts: dict[str, list[str]],
    state: list[str],
    *,
    top: bool = False,
) -> None:
    if element is target:
        state[0] = "text"
    if element.text:
        parts[state[0]].append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            if name == "note" and not _contains(child, target):
                pass
            elif name == "choice":
                shown = _shown(child)
                if shown is not None:
                    _walk(shown, target, parts, state)
            else:
                _walk(child, target, parts, state)
        if child.tail:
            parts[state[0]].append(child.tail)
    if element is target:
        state[0] = "after"


def _contains(element: etree._Element, target: etree._Element) -> bool:
    return any(a is element for a in target.iterancestors())


def _shown(choice: etree._Element) -> etree._Element | None:
    for name in ("reg", "corr", "expan"):
        found = choice.find(f"tei:{name}", NS)
        if found is not None:
            return found
    return next((c for c in choice if isinstance(c.tag, str)), None)


def _trim_left(text: str) -> str:
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[-CONTEXT_CHARS:]
    space = cut.find(" ")
    return "\u2026" + (cut[space:] if 0 <= space < 20 else cut)


def _trim_right(text: str) -> str:
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[:CONTEXT_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > CONTEXT_CHARS - 20 else cut) + "\u2026"


def mentions_svg(
    person: PersonRecord, counts: Sequence[tuple[str, int]], svg_id: str = "ed-mentions"
) -> str:
    """A small horizontal bar chart of mentions per document, as inline SVG markup.

    ``counts`` pairs each document's label with its number of mentions, in edition
    order; every text is escaped here, so the result may be marked safe.
    """
    bar_height, gap, label_width, bar_width = 18, 6, 230, 200
    width = label_width + bar_width + 40
    height = max(len(counts), 1) * (bar_height + gap) + gap
    top = max((n for _, n in counts), default=0) or 1
    summary = "; ".join(f"{label}: {n}" for label, n in counts) or "none"
    lines = [
        f'<svg class="mentions-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{svg_id}-title">',
        f'<title id="{svg_id}-title">Mentions of {escape(person.name, quote=False)} per document: '
        f"{escape(summary, quote=False)}</title>",
    ]
    for row, (label, n) in enumerate(counts):
        y = gap + row * (bar_height + gap)
        shown = label if len(label) <= 34 else label[:33].rstrip() + "\u2026"
        length = max(round(bar_width * n / top), 2)
        lines.append(
            f'<text x="{label_width - 8}" y="{y + bar_height - 5}" text-anchor="end">'
            f"{escape(shown, quote=False)}</text>"
        )
        lines.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}"></rect>'
        )
        lines.append(
            f'<text x="{label_width + length + 6}" y="{y + bar_height - 5}">{n}</text>'
        )
    lines.append("</svg>")
    return "\n".join(lines)


def count_by_document(
    mentions: Iterable[Mention], documents: Sequence[tuple[str, str]]
) -> list[tuple[str, int]]:
    """(title, count) for each document, in ``documents`` order, that has a mention."""
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[mention.doc_id] = counts.get(mention.doc_id, 0) + 1
    return [(title, counts[doc_id]) for doc_id, title in documents if doc_id in counts]


def sort_key(person: PersonRecord) -> tuple[str, str]:
    """Order persons by surname as far as a plain name shows it: the last word."""
    words = person.name.split()
    return ((words[-1] if words else person.id).casefold(), person.name.casefold())
