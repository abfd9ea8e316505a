"""Turn a TEI ``text/body`` into an HTML tree: one small function per element kind.

The output is built with lxml and serialized, so every piece of source text is
escaped by construction. Each TEI ``xml:id`` becomes the HTML ``id`` of the element
that renders it (or of an empty ``span.anchor`` where nothing visible does), so
``#p5``, ``#pb301`` and ``#n26`` mean the same in the TEI and on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from edition.pickling import ByFields
from edition.render.citation import paragraph_label
from edition.render.teiread import TEI_NS, XML_ID, XML_LANG, reading_text, source_line

# @when values HTML's <time datetime> accepts: "1936", "1936-08", "1936-08-28".
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Link targets a reader may follow off the page; anything else (javascript:, data:) is not linked.
EXTERNAL_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
# Characters allowed in a class taken from an attribute value: "document" stays, "a b<" → "a-b-".
CLASS_UNSAFE = re.compile(r"[^\w-]")
# rowspan/colspan values: "2".
DIGITS = re.compile(r"^[1-9]\d{0,3}$")

# TEI elements that make their container a block, so a TEI <p> holding one becomes
# an HTML <div class="p"> (an HTML <p> cannot hold a list, a table or verse).
BLOCK_NAMES = frozenset(
    {
        "ab", "argument", "byline", "closer", "dateline", "div", "docAuthor", "epigraph",
        "figure", "floatingText", "head", "l", "lg", "list", "opener", "p", "postscript",
        "salute", "signed", "table", "trailer",
    }
)  # fmt: skip
# Block elements rendered as <div class="localname">.
DIV_NAMES = frozenset(
    {
        "argument", "byline", "closer", "dateline", "docAuthor", "epigraph", "l", "lg",
        "opener", "postscript", "salute", "signed", "trailer",
    }
)  # fmt: skip
# Phrase-level elements rendered as <span class="localname">; @ref, @resp, @cert as data-*.
SPAN_NAMES = frozenset(
    {
        "abbr", "addName", "corr", "expan", "forename", "fw", "gap", "geogName", "label",
        "measure", "name", "num", "orgName", "orig", "persName", "placeName", "q", "reg",
        "roleName", "rs", "said", "sic", "space", "supplied", "surname", "term", "unclear",
    }
)  # fmt: skip
# Phrase-level elements with an HTML element of the same meaning.
TAG_NAMES = {"add": "ins", "del": "del", "emph": "em", "foreign": "i", "title": "cite"}
# hi/@rend tokens and the HTML element each maps to; other renditions become classes.
REND_TAGS = {
    "bold": "b",
    "italic": "i",
    "italics": "i",
    "sub": "sub",
    "subscript": "sub",
    "sup": "sup",
    "superscript": "sup",
    "underline": "u",
}
# Which reading a <choice> shows by default (normalized) and with the toggle (diplomatic),
# and the words a tip uses for each.
SHOWN_READINGS = ("reg", "corr", "expan")
DIPLOMATIC_READINGS = ("orig", "sic", "abbr")
READING_WORDS = {
    "reg": "regularized",
    "corr": "corrected",
    "expan": "expanded",
    "orig": "original",
    "sic": "source",
    "abbr": "abbreviated",
}
# Names whose @resp and @cert speak for the choice inside them.
NAME_ELEMENTS = frozenset({"persName", "placeName", "orgName", "name", "rs"})
DIV_LEVELS = frozenset({"div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "body"})


@dataclass(frozen=True, slots=True)
class UnknownElement(ByFields):
    """A TEI element the renderer has no rule for: shown as its text, counted once."""

    name: str
    count: int
    line: int  # line of its first occurrence in the TEI file


@dataclass(frozen=True)
class RenderContext:
    """What rendering a body needs from outside it; the defaults link nothing.

    ``persons`` maps a person id to the link from this page to the person's page;
    ``person_labels`` to the words a tip says of them ("Grigory Zinoviev, 1883–1936");
    ``resp_labels`` maps a ``@resp`` token ("#auto") to who that is;
    ``permalink_base`` is the page's absolute URL, for citable permalinks;
    ``citation`` the document's citation without its URL, for "cite this paragraph".
    """

    persons: Mapping[str, str] = field(default_factory=dict)
    person_labels: Mapping[str, str] = field(default_factory=dict)
    resp_labels: Mapping[str, str] = field(default_factory=dict)
    permalink_base: str = ""
    citation: str = ""


@dataclass(frozen=True)
class RenderedText:
    """A document body as HTML strings ready to be marked safe in a template."""

    body: str  # <div class="reading">…</div>
    notes: str  # <ol class="notes">…</ol>, or "" when the text has no notes
    opens_with_heading: bool  # the body's first head became the page's <h1>
    unknown: tuple[UnknownElement, ...]  # sorted by name


Html = etree._Element
Handler = Callable[["_Renderer", etree._Element, Html], "Html | None"]


def render_body(body: etree._Element, context: RenderContext | None = None) -> RenderedText:
    """Render a TEI ``body`` (or any TEI container) as the reading text and its notes."""
    renderer = _Renderer(ids=_ids(body), context=context or RenderContext())
    reading = etree.Element("div", {"class": "reading"})
    renderer.children(body, reading)
    notes = ""
    if renderer.notes:
        listing = etree.Element("ol", {"class": "notes"})
        listing.extend(renderer.notes)
        notes = _serialize(listing)
    unknown = tuple(
        UnknownElement(name, count, line)
        for name, (count, line) in sorted(renderer.unknown.items())
    )
    return RenderedText(_serialize(reading), notes, renderer.opened_with_heading, unknown)


def _ids(body: etree._Element) -> set[str]:
    return {str(e.get(XML_ID)) for e in body.iter() if isinstance(e.tag, str) and e.get(XML_ID)}


def _serialize(element: Html) -> str:
    return etree.tostring(element, method="html", encoding="unicode")


@dataclass
class _Renderer:
    """The state of one body's rendering: ids in use, notes collected, headings seen."""

    ids: set[str]
    context: RenderContext = field(default_factory=RenderContext)
    notes: list[Html] = field(default_factory=list)
    unknown: dict[str, tuple[int, int]] = field(default_factory=dict)
    seen_heading: bool = False
    opened_with_heading: bool = False
    depth: int = 0
    # Inside a link nothing may be focusable on its own: the tips of the interventions
    # inside gather here and the link shows them.
    link_tips: list[str] | None = None
    tip_count: int = 0

    def children(self, element: etree._Element, out: Html) -> None:
        """Render ``element``'s text and children into ``out``."""
        _append_text(out, element.text)
        for child in element:
            self.node(child, out)

    def node(self, node: etree._Element, out: Html, *, tail: bool = True) -> None:
        """Render one TEI node and (unless ``tail`` is false) the text after it."""
        if isinstance(node, etree._Entity):
            _append_text(out, node.text)  # unexpanded "&name;" stays visible
        elif isinstance(node.tag, str):
            qname = etree.QName(node)
            handler = HANDLERS.get(qname.localname) if qname.namespace == TEI_NS else None
            made = handler(self, node, out) if handler else self.render_unknown(node, out)
            _identify(node, made, out)
        if tail:
            _append_text(out, node.tail)

    def render_unknown(self, element: etree._Element, out: Html) -> Html:
        qname = etree.QName(element)
        # "seg", "frus:attachment" (the document's own prefix), or "{urn:x}y" when it has none
        prefixed = f"{element.prefix}:{qname.localname}" if element.prefix else qname.text
        name = qname.localname if qname.namespace == TEI_NS else prefixed
        count, line = self.unknown.get(name, (0, source_line(element)))
        self.unknown[name] = (count + 1, line)
        tag = "div" if _has_block(element) else "span"
        made = etree.SubElement(out, tag, {"class": f"tei-{_class(qname.localname)}"})
        self.children(element, made)
        return made

    def add_tip(self, made: Html, lines: list[str]) -> None:
        """Show ``lines`` on hover and focus of ``made`` (or of the link around it)."""
        lines = [line for line in lines if line]
        if not lines:
            return
        if self.link_tips is not None:
            self.link_tips.extend(lines)
            return
        self.tip_count += 1
        tip_id = self.fresh_id(f"ed-tip-{self.tip_count}")
        if made.tag != "a":
            made.set("tabindex", "0")
        made.set("aria-describedby", tip_id)
        tip = etree.SubElement(made, "span", {"class": "tip", "role": "tooltip", "id": tip_id})
        tip.text = " · ".join(lines)

    def who_and_how_sure(self, *elements: etree._Element | None) -> str:
        """"by automatic encoding · certainty: high", from the first @resp and @cert found."""
        resp = next((e.get("resp") for e in elements if e is not None and e.get("resp")), "")
        cert = next((e.get("cert") for e in elements if e is not None and e.get("cert")), "")
        words = []
        if resp:
            names = [self.context.resp_labels.get(t, t.lstrip("#")) for t in resp.split()]
            words.append("by " + ", ".join(names))
        if cert:
            words.append(f"certainty: {cert}")
        return " · ".join(words)

    def fresh_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate


def _append_text(out: Html, text: str | None) -> None:
    if not text:
        return
    if len(out):
        last = out[-1]
        last.tail = (last.tail or "") + text
    else:
        out.text = (out.text or "") + text


def _identify(element: etree._Element, made: Html | None, out: Html) -> None:
    """Carry ``xml:id`` and ``xml:lang`` over to the HTML that renders ``element``."""
    xml_id = element.get(XML_ID)
    if made is None:
        if xml_id:
            etree.SubElement(out, "span", {"class": "anchor", "id": xml_id})
        return
    if xml_id and made.get("id") is None:
        made.set("id", xml_id)
    lang = element.get(XML_LANG)
    if lang:
        made.set("lang", lang)


def _local(element: etree._Element) -> str:
    if not isinstance(element.tag, str):
        return ""
    qname = etree.QName(element)
    return qname.localname if qname.namespace == TEI_NS else ""


def _has_block(element: etree._Element) -> bool:
    """Whether ``element`` holds block content outside its notes (which render apart)."""
    for child in element:
        name = _local(child)
        if name == "note":
            continue
        if name in BLOCK_NAMES or (name == "quote" and _has_block(child)) or _has_block(child):
            return True
    return False


def _class(value: str) -> str:
    return CLASS_UNSAFE.sub("-", value)


def _anchor_ids(hidden: etree._Element, out: Html) -> None:
    """Keep the ids inside a reading that is not shown, as empty anchors."""
    for found in hidden.iter():
        xml_id = found.get(XML_ID) if isinstance(found.tag, str) else None
        if xml_id:
            etree.SubElement(out, "span", {"class": "anchor", "id": xml_id})


def _permalink(r: _Renderer, out: Html, xml_id: str, what: str) -> None:
    link = etree.SubElement(
        out,
        "a",
        {"class": "permalink", "href": f"#{xml_id}", "aria-label": f"Permalink to {what} {xml_id}"},
    )
    if r.context.permalink_base:
        link.set("data-permalink", f"{r.context.permalink_base}#{xml_id}")
    link.text = "¶"


# --- handlers: (renderer, TEI element, HTML parent) → the HTML element made, or None ---


def render_paragraph(r: _Renderer, el: etree._Element, out: Html) -> Html:
    block = _has_block(el)
    made = etree.SubElement(out, "div" if block else "p", {"class": "p"} if block else {})
    r.children(el, made)
    xml_id = el.get(XML_ID)
    if xml_id:
        _permalink(r, made, xml_id, "paragraph")
        _paragraph_citation(r, made, xml_id)
    return made


def _paragraph_citation(r: _Renderer, out: Html, xml_id: str) -> None:
    """"Cite this paragraph", as text: hidden until the paragraph is the page's target (CSS)."""
    if not r.context.citation:
        return
    cite = etree.SubElement(out, "span", {"class": "para-cite"})
    label = etree.SubElement(cite, "span", {"class": "para-cite-label"})
    label.text = "Cite this paragraph: "
    label.tail = f"{r.context.citation.rstrip('.')}, {paragraph_label(xml_id)}"
    if r.context.permalink_base:
        label.tail += ", "
        url = etree.SubElement(cite, "span", {"class": "url"})
        url.text = f"{r.context.permalink_base}#{xml_id}"
        url.tail = "."
    else:
        label.tail += "."


def render_head(r: _Renderer, el: etree._Element, out: Html) -> Html:
    parent = el.getparent()
    if el.get("type") == "source-note":
        # A file-number line ("861.00/11630: Telegram") labels the document; it is not its title.
        made = etree.SubElement(out, "p", {"class": "head-source-note"})
        r.children(el, made)
        xml_id = el.get(XML_ID)
        if xml_id:
            _permalink(r, made, xml_id, "heading")
        return made
    if parent is None or _local(parent) not in DIV_LEVELS:
        made = etree.SubElement(out, "div", {"class": "head"})
        r.children(el, made)
        return made
    level = 1 if not r.seen_heading else min(max(r.depth + 1, 2), 6)
    if not r.seen_heading:
        r.opened_with_heading = True
    r.seen_heading = True
    made = etree.SubElement(out, f"h{level}")
    kind = el.get("type")
    if kind:
        made.set("class", f"head-{_class(kind)}")
    r.children(el, made)
    xml_id = el.get(XML_ID)
    if xml_id:
        _permalink(r, made, xml_id, "heading")
    return made


def render_div(r: _Renderer, el: etree._Element, out: Html) -> Html:
    kind = el.get("type")
    classes = "div" + (f" div-{_class(kind)}" if kind else "")
    made = etree.SubElement(out, "div", {"class": classes})
    r.depth += 1
    r.children(el, made)
    r.depth -= 1
    return made


def render_page_break(r: _Renderer, el: etree._Element, out: Html) -> Html:
    number = el.get("n")
    xml_id = el.get(XML_ID)
    label = f"[{number}]" if number else "[\u2013]"
    if xml_id and r.link_tips is None:
        made = etree.SubElement(out, "a", {"class": "pb", "id": xml_id, "href": f"#{xml_id}"})
    else:
        made = etree.SubElement(out, "span", {"class": "pb"})
    made.set("aria-label", f"Page {number}" if number else "Page break")
    made.text = label
    facs = el.get("facs", "").strip()
    if facs:  # the page's image: a URL or an id in the exporter's image store ("0331")
        made.set("data-facs", facs)
    return made


def render_line_break(r: _Renderer, el: etree._Element, out: Html) -> Html:
    return etree.SubElement(out, "br")


def render_milestone(r: _Renderer, el: etree._Element, out: Html) -> Html:
    return etree.SubElement(out, "span", {"class": _local(el)})


def render_note(r: _Renderer, el: etree._Element, out: Html) -> Html:
    """A marker where the note stood; the note itself in the notes list, linked both ways."""
    number = el.get("n") or str(len(r.notes) + 1)
    note_id = el.get(XML_ID) or r.fresh_id(f"ed-note-{len(r.notes) + 1}")
    ref_id = r.fresh_id(f"{note_id}-ref")
    sup = etree.SubElement(out, "sup", {"class": "noteref"})
    if r.link_tips is None:
        marker = etree.SubElement(
            sup,
            "a",
            {
                "id": ref_id,
                "href": f"#{note_id}",
                "role": "doc-noteref",
                "aria-label": f"Note {number}",
            },
        )
    else:  # a link may not hold a link: the marker is plain, the note still links back
        marker = etree.SubElement(sup, "span", {"id": ref_id})
    marker.text = number
    outer_tips, r.link_tips = r.link_tips, None  # the note's body is rendered apart
    place = el.get("place") or "none"
    item = etree.Element("li", {"id": note_id, "class": f"note note-{_class(place)}"})
    r.notes.append(item)  # before its body, so a note inside a note is listed after it
    back = etree.SubElement(
        item,
        "a",
        {"class": "backref", "href": f"#{ref_id}", "role": "doc-backlink",
         "aria-label": f"Back to note {number} in the text"},
    )  # fmt: skip
    back.text = number
    back.tail = " "
    body = etree.SubElement(item, "div" if _has_block(el) else "span", {"class": "note-body"})
    r.children(el, body)
    r.link_tips = outer_tips
    return item


def render_choice(r: _Renderer, el: etree._Element, out: Html) -> Html:
    """Both readings, the normalized one shown; the page's toggle shows the diplomatic one.

    ``span.norm`` (reg/corr/expan) and ``span.dipl`` (orig/sic/abbr) swap places under
    the toggle; any further reading is ``span.alt``, never shown but named in the tip,
    which gives every reading, who made the intervention and how sure they were.
    """
    readings = [(name, c) for c in el if (name := _local(c))]
    norm = next((c for n in SHOWN_READINGS for name, c in readings if name == n), None)
    dipl = next((c for n in DIPLOMATIC_READINGS for name, c in readings if name == n), None)
    if norm is None and dipl is None and readings:
        norm = readings[0][1]
    kind = _local(norm) if norm is not None else _local(dipl) if dipl is not None else "empty"
    made = etree.SubElement(out, "span", {"class": f"choice choice-{kind}"})
    described = []
    for name, child in readings:
        role = "norm" if child is norm else "dipl" if child is dipl else "alt"
        if norm is None or dipl is None:
            role = "alt" if child is not (norm if norm is not None else dipl) else ""
        reading = etree.SubElement(made, "span", {"class": f"{name} {role}".strip()})
        r.children(child, reading)
        _identify(child, reading, made)
        described.append(f"{READING_WORDS.get(name, name)}: {reading_text(child) or '(nothing)'}")
    parent = el.getparent()
    name_parent = parent if parent is not None and _local(parent) in NAME_ELEMENTS else None
    lines = ["; ".join(described), r.who_and_how_sure(norm, el, name_parent)]
    r.add_tip(made, lines)
    return made


def render_sic(r: _Renderer, el: etree._Element, out: Html) -> Html:
    """A ``sic`` outside a ``choice``: flagged as the source's reading, not corrected."""
    parent = el.getparent()
    if parent is not None and _local(parent) == "choice":
        return render_span(r, el, out)
    made = etree.SubElement(out, "span", {"class": "sic flagged"})
    r.children(el, made)
    r.add_tip(made, ["so in the source (sic), not corrected", r.who_and_how_sure(el)])
    return made


def render_name(r: _Renderer, el: etree._Element, out: Html) -> Html:
    """A name: linked to its person's page when ``@ref`` names a person of the edition."""
    pointer = _name_pointer(el)
    href = next((r.context.persons[i] for i in _ref_ids(pointer) if i in r.context.persons), None)
    if href is None or r.link_tips is not None:
        return render_span(r, el, out)
    made = etree.SubElement(
        out, "a", {"class": _class(_local(el)).lower(), "href": href, "data-ref": pointer}
    )
    r.link_tips = []
    r.children(el, made)
    inner, r.link_tips = r.link_tips, None
    person = next(
        (r.context.person_labels[i] for i in _ref_ids(pointer) if i in r.context.persons), ""
    )
    has_choice = any(_local(c) == "choice" for c in el.iter())
    r.add_tip(made, [person, *inner, "" if has_choice else _identified(r, el)])
    return made


def name_refs(body: etree._Element) -> list[str]:
    """The person ids the names of ``body`` point at, in order: what its page links."""
    return [
        person
        for el in body.iter(f"{{{TEI_NS}}}persName", f"{{{TEI_NS}}}rs")
        for person in _ref_ids(_name_pointer(el))
    ]


def _name_pointer(el: etree._Element) -> str:
    """Who a name names: ``@ref``, else ``@corresp`` (FRUS: ``persName corresp="#p_HLW1"``)."""
    return el.get("ref") or el.get("corresp") or ""


def _identified(r: _Renderer, el: etree._Element) -> str:
    how = r.who_and_how_sure(el)
    return f"identified {how}" if how else ""


def _ref_ids(ref: str) -> list[str]:
    """"#yezhov persons.xml#zinoviev" → ["yezhov", "zinoviev"]; web addresses name nothing here."""
    return [
        token.rsplit("#", 1)[1]
        for token in ref.split()
        if "#" in token and not EXTERNAL_URL.match(token) and not token.endswith("#")
    ]


def render_span(r: _Renderer, el: etree._Element, out: Html) -> Html:
    made = etree.SubElement(out, "span", {"class": _class(_local(el)).lower()})
    for attribute in ("ref", "corresp", "resp", "cert"):
        value = el.get(attribute)
        if value:
            made.set(f"data-{attribute}", value)
    r.children(el, made)
    return made


def render_tag(r: _Renderer, el: etree._Element, out: Html) -> Html:
    name = _local(el)
    made = etree.SubElement(out, TAG_NAMES[name], {"class": name.lower()})
    r.children(el, made)
    return made


def render_block_div(r: _Renderer, el: etree._Element, out: Html) -> Html:
    made = etree.SubElement(out, "div", {"class": _class(_local(el)).lower()})
    r.children(el, made)
    return made


def render_hi(r: _Renderer, el: etree._Element, out: Html) -> Html:
    tokens = (el.get("rend") or "").split()
    tag = next((REND_TAGS[t] for t in tokens if t in REND_TAGS), "span")
    made = etree.SubElement(out, tag)
    rest = [f"rend-{_class(t)}" for t in tokens if t not in REND_TAGS]
    made.set("class", " ".join(["hi", *rest]))
    r.children(el, made)
    return made


def render_quote(r: _Renderer, el: etree._Element, out: Html) -> Html:
    if _has_block(el):
        made = etree.SubElement(out, "blockquote", {"class": "quote"})
    else:
        made = etree.SubElement(out, "span", {"class": "quote"})
    r.children(el, made)
    return made


def render_date(r: _Renderer, el: etree._Element, out: Html) -> Html:
    when = el.get("when", "")
    if ISO_DATE.match(when):
        made = etree.SubElement(out, "time", {"class": "date", "datetime": when})
    else:
        made = etree.SubElement(out, "span", {"class": "date"})
    r.children(el, made)
    return made


def render_ref(r: _Renderer, el: etree._Element, out: Html) -> Html:
    target = (el.get("target") or "").strip()
    if r.link_tips is not None:  # already inside a link
        made = etree.SubElement(out, "span", {"class": "ref"})
    elif target.startswith("#") and target[1:] in r.ids:
        made = etree.SubElement(out, "a", {"class": "ref", "href": target})
    elif EXTERNAL_URL.match(target) and " " not in target:
        made = etree.SubElement(out, "a", {"class": "ref external", "href": target})
    else:
        # A target we cannot resolve on this page, or a scheme we will not link (javascript:).
        made = etree.SubElement(out, "span", {"class": "ref"})
        if target:
            made.set("data-target", target)
    if made.tag != "a":
        r.children(el, made)
        return made
    r.link_tips = []
    r.children(el, made)
    inner, r.link_tips = r.link_tips, None
    r.add_tip(made, inner)
    return made


def render_list(r: _Renderer, el: etree._Element, out: Html) -> Html:
    heads = [c for c in el if _local(c) == "head"]
    glossary = any(_local(c) == "label" for c in el)
    ordered = {el.get("type", ""), el.get("rend", "")} & {"ordered", "numbered"}
    tag = "dl" if glossary else "ol" if ordered else "ul"
    container = out
    if heads:
        container = etree.SubElement(out, "div", {"class": "list"})
        for head in heads:
            caption = etree.SubElement(container, "p", {"class": "list-head"})
            r.children(head, caption)
            _identify(head, caption, container)
    made = etree.SubElement(container, tag)
    _append_text(made, el.text)
    for child in el:
        name = _local(child)
        if name == "head":
            _append_text(made, child.tail)
            continue
        if name in {"item", "label"}:
            item_tag = "li" if not glossary else "dd" if name == "item" else "dt"
            item = etree.SubElement(made, item_tag)
            r.children(child, item)
            _identify(child, item, made)
            if name == "item" and child.get(XML_ID):
                _permalink(r, item, str(child.get(XML_ID)), "item")
                _paragraph_citation(r, item, str(child.get(XML_ID)))
            _append_text(made, child.tail)
        else:
            # A page break or note between items belongs to the item before it.
            r.node(child, made[-1] if len(made) else made)
    return container if heads else made


def render_table(r: _Renderer, el: etree._Element, out: Html) -> Html:
    """table/row/cell → table/tr/td (th for role="label"); TEI puts a head first: caption."""
    made = etree.SubElement(out, "table")
    _append_text(made, el.text)
    for child in el:
        name = _local(child)
        if name == "head":
            caption = etree.SubElement(made, "caption")
            r.children(child, caption)
            _identify(child, caption, made)
        elif name == "row":
            _render_row(r, child, made)
        else:
            r.node(child, made[-1] if len(made) else made, tail=False)
        _append_text(made, child.tail)
    return made


def _render_row(r: _Renderer, el: etree._Element, table: Html) -> None:
    row = etree.SubElement(table, "tr")
    _append_text(row, el.text)
    header_row = el.get("role") == "label"
    for cell in el:
        if _local(cell) != "cell":
            r.node(cell, row[-1] if len(row) else row, tail=False)
        else:
            header = header_row or cell.get("role") == "label"
            html_cell = etree.SubElement(row, "th" if header else "td")
            for attribute, html_name in (("cols", "colspan"), ("rows", "rowspan")):
                value = cell.get(attribute, "")
                if DIGITS.match(value):
                    html_cell.set(html_name, value)
            r.children(cell, html_cell)
            _identify(cell, html_cell, row)
        _append_text(row, cell.tail)
    _identify(el, row, table)


HANDLERS: dict[str, Handler] = {
    "ab": render_paragraph,
    "anchor": render_milestone,
    "cb": render_milestone,
    "choice": render_choice,
    "date": render_date,
    "head": render_head,
    "hi": render_hi,
    "lb": render_line_break,
    "list": render_list,
    "milestone": render_milestone,
    "note": render_note,
    "p": render_paragraph,
    "pb": render_page_break,
    "quote": render_quote,
    "ref": render_ref,
    "sic": render_sic,
    "table": render_table,
    **{name: render_div for name in DIV_LEVELS - {"body"}},
    **{name: render_block_div for name in DIV_NAMES},
    **{name: render_span for name in SPAN_NAMES - {"sic"}},
    **{name: render_name for name in ("persName", "rs")},
    **{name: render_tag for name in TAG_NAMES},
}
