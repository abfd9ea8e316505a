"""Encode a source's blocks and resolved annotations as the TEI ``<body>``.

The text between annotations is copied in as it stands; each annotation kind
has one builder (`ELEMENT_BUILDERS`) that turns it into TEI. A newline inside a
block (a hard-wrapped line) becomes ``<lb/>`` and keeps its newline, so the
text content of the TEI still reads as the source does. Ids are not assigned
here: `edition.ids` does it afterwards, in one place.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from lxml import etree

from edition.annotations import Annotation
from edition.blocks import Block
from edition.resolve import document_order

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP: dict[str | None, str] = {None: TEI_NS}  # TEI as the default namespace


def tei(tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> etree._Element:
    """A new TEI element ``tag`` (local name) with attributes and text."""
    element = etree.Element(f"{{{TEI_NS}}}{tag}", attrib or {}, nsmap=NSMAP)  # type: ignore[arg-type]
    if text:
        element.text = text
    return element


def sub(
    parent: etree._Element, tag: str, attrib: dict[str, str] | None = None, text: str | None = None
) -> etree._Element:
    """A new TEI element ``tag`` at the end of ``parent`` (made in place: a third faster than
    made apart with its own namespace map and appended, as the corpus file's 50,000 were)."""
    element = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}", attrib or {})
    if text:
        element.text = text
    return element


class Encoder:
    """Encodes spans of one source with the annotations that fall inside them."""

    def __init__(self, text: str, annotations: Sequence[Annotation]) -> None:
        self.text = text
        self.annotations = sorted(annotations, key=document_order)
        self.starts = [a.start for a in self.annotations]
        consumed = [a.target for a in self.annotations if a.kind == "note" and a.target]
        self.consumed_targets = frozenset(consumed)

    def body(self, blocks: Sequence[Block]) -> etree._Element:
        """``body/div[@type='document']``; a heading after text opens a section of its own.

        TEI lets a heading stand only at the top of a division, so a heading mid-document
        (an enclosure's ``[Inclosure 1 in No. 300.]``) starts a nested ``div``.
        """
        body = tei("body")
        document = sub(body, "div", {"type": "document"})
        current, has_text = document, False
        for block in blocks:
            if block.kind == "notes":
                self.block(document, block)
                continue
            if block.kind == "head" and has_text:
                current, has_text = sub(document, "div", {"type": "section"}), False
            has_text = has_text or block.kind != "head"
            self.block(current, block)
        return body

    def block(self, parent: etree._Element, block: Block) -> None:
        if block.kind == "notes":
            self.endnotes(parent, block)
        elif self._only_page_break(block.start, block.end):
            self.inline(parent, block.start, block.end)
        elif block.kind == "list":
            # A list of nothing but page markers is no list (TEI wants an item): the breaks stand alone.
            pages_only = all(self._only_page_break(i.start, i.end) for i in block.children)
            element = parent if pages_only else sub(parent, "list")
            for item in block.children:
                if self._only_page_break(item.start, item.end):
                    self.inline(element, item.start, item.end)
                else:
                    self.inline(sub(element, "item"), item.start, item.end)
        else:
            attrib = {"type": block.subtype} if block.subtype else {}
            self.inline(sub(parent, block.kind, attrib), block.start, block.end)

    def endnotes(self, parent: etree._Element, block: Block) -> None:
        """Endnotes no marker claimed stay at the end, as the source had them: never dropped."""
        left = [
            note
            for note in block.children
            if (note.label_end, note.end) not in self.consumed_targets
        ]
        if not left:
            return
        div = sub(parent, "div", {"type": "notes"})
        for note in left:
            label = self.text[note.start : note.label_end].strip().rstrip(".")
            element = sub(div, "note", {"place": "end", "n": label})
            self.inline(element, note.label_end, note.end)

    def inline(
        self, parent: etree._Element, start: int, end: int, within: Annotation | None = None
    ) -> None:
        """Append ``text[start:end]`` to ``parent``, with the annotations inside it as elements.

        ``within`` is the annotation whose content this is (a wrapper's own span), left out.
        """
        position = start
        for annotation in self._outermost(start, end, within):
            self._append_text(parent, self.text[position : annotation.start])
            build = ELEMENT_BUILDERS[annotation.kind]
            build(self, parent, annotation)
            position = annotation.end
        self._append_text(parent, self.text[position:end])

    def _outermost(
        self, start: int, end: int, within: Annotation | None = None
    ) -> list[Annotation]:
        """Annotations inside ``[start, end)`` that no other one there contains."""
        result: list[Annotation] = []
        reach = start
        # Annotations are in document order: only those starting in [start, end] can be inside.
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_right(self.starts, end)
        for annotation in self.annotations[first:last]:
            if annotation.end > end or annotation is within:
                continue
            if within is not None and annotation.start == annotation.end == end:
                continue  # a point at a wrapper's end is not in its [start, end): placed after it
            if result and annotation.start < reach:
                continue  # nested inside the previous outermost annotation
            result.append(annotation)
            reach = max(reach, annotation.end)
        return result

    def _only_page_break(self, start: int, end: int) -> bool:
        """Whether the span holds one page marker and whitespace (a ``[Page 301]`` line).

        Only one: between two milestones set directly in a div or list, the serializer's
        indentation would add whitespace the source did not have.
        """
        inside = self._outermost(start, end)
        if len(inside) != 1 or inside[0].kind != "pb":
            return False
        return not (self.text[start : inside[0].start] + self.text[inside[0].end : end]).strip()

    @staticmethod
    def _append_text(parent: etree._Element, text: str) -> None:
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if index:
                lb = sub(parent, "lb")
                lb.tail = "\n" + line
                continue
            if len(parent):
                last = parent[-1]
                last.tail = (last.tail or "") + line
            else:
                parent.text = (parent.text or "") + line


def build_pb(encoder: Encoder, parent: etree._Element, a: Annotation) -> None:
    attrib = {"n": a.attr("n")}
    # @rend is a list of tei_all's data.word, which no space separator may be part of:
    # "[Page\u00a0302]" is kept as "[Page 302]" (a run of white space may change its kind).
    marker = SEPARATOR.sub(" ", encoder.text[a.start : a.end])
    if marker != canonical_page_marker(attrib["n"]):
        attrib["rend"] = marker  # the source's own form of the marker, for the diplomatic reading
    sub(parent, "pb", attrib)


# A space other than XML's own four, e.g. the NBSP in "[Page\u00a0302]".
SEPARATOR = re.compile(r"[^\S\t\n\r ]")


def canonical_page_marker(n: str) -> str:
    """The page marker the diplomatic reading writes for ``<pb n>`` when it has no ``@rend``."""
    return f"[Page {n}]"


def build_note(encoder: Encoder, parent: etree._Element, a: Annotation) -> None:
    attrib = {"place": "foot"}
    # @rend: the marker's own form when it is not @n ("¹²", "[3]"); type="unmarked": no marker printed.
    for name in ("n", "rend", "type"):
        if a.attr(name):
            attrib[name] = a.attr(name)
    note = sub(parent, "note", attrib)
    if a.target:
        encoder.inline(note, *a.target)


def build_wrapper(tag: str) -> Callable[[Encoder, etree._Element, Annotation], None]:
    """A builder wrapping the span in ``tag``; a ``reg`` attribute adds choice/orig/reg inside."""

    def build(encoder: Encoder, parent: etree._Element, a: Annotation) -> None:
        attrib = {k: v for k, v in a.attrs if k in ("ref", "resp", "cert", "type")}
        element = sub(parent, tag, attrib)
        if a.attr("reg"):
            choice = sub(element, "choice")
            encoder.inline(sub(choice, "orig"), a.start, a.end, a)
            sub(choice, "reg", text=a.attr("reg"))
        else:
            encoder.inline(element, a.start, a.end, a)

    return build


def build_sic(encoder: Encoder, parent: etree._Element, a: Annotation) -> None:
    """A suspected error: ``choice/sic/corr`` with a correction, a bare ``sic`` without one."""
    who = {k: v for k, v in a.attrs if k in ("resp", "cert")}
    if not a.attr("corr"):
        encoder.inline(sub(parent, "sic", who), a.start, a.end, a)
        return
    choice = sub(parent, "choice")
    encoder.inline(sub(choice, "sic"), a.start, a.end, a)
    sub(choice, "corr", who, a.attr("corr"))


ELEMENT_BUILDERS: dict[str, Callable[[Encoder, etree._Element, Annotation], None]] = {
    "pb": build_pb,
    "note": build_note,
    "persName": build_wrapper("persName"),
    "sic": build_sic,
}
