"""Read a TEI document back as plain text: the diplomatic reading and the normalized one.

The *diplomatic* reading is the source as it was: ``orig`` and ``sic`` chosen,
page markers and footnote markers back where they stood, note bodies back in
an endnote block at the end, labelled 1..k as the text view numbers them. It is
how the build proves that nothing was lost (`check_lossless`). The *normalized*
reading is what a reader reads: ``reg`` and ``corr`` chosen, markers dropped,
notes at the end under their printed numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from edition.encode import TEI_NS, canonical_page_marker

# Elements that stand apart from their neighbours as blocks of text.
BLOCKS = frozenset(
    {"head", "p", "item", "list", "div", "lg", "l", "table", "row", "opener", "closer"}
)

# Containers whose children are blocks: a page break directly inside one stood on its own line.
BETWEEN_BLOCKS = frozenset({"body", "div", "list"})

# The readings a choice offers that each text leaves out.
HIDDEN_DIPLOMATIC = frozenset({"reg", "corr", "expan"})
HIDDEN_NORMALIZED = frozenset({"orig", "sic", "abbr"})


@dataclass
class _Reading:
    diplomatic: bool
    parts: list[str] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (place, n, body)

    def text(self, element: etree._Element) -> None:
        """Append the reading of ``element``'s content (not its tail)."""
        if element.text:
            self.parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self.element(child)
            if child.tail:
                self.parts.append(child.tail)

    def element(self, element: etree._Element) -> None:
        local = _local(element)
        if local == "teiHeader" or local == "standOff":
            return
        if local == "pb":
            if self.diplomatic:
                marker = element.get("rend") or canonical_page_marker(element.get("n", ""))
                # A break set between blocks stood on a line of its own.
                parent = element.getparent()
                alone = parent is not None and _local(parent) in BETWEEN_BLOCKS
                self.parts.append(f"\n{marker}\n" if alone else marker)
            return
        if local == "lb":
            self.parts.append("\n")
            return
        if local == "note":
            self.note(element)
            return
        if local in (HIDDEN_DIPLOMATIC if self.diplomatic else HIDDEN_NORMALIZED) and _in_choice(
            element
        ):
            return
        block = local in BLOCKS
        if block:
            self.parts.append("\n\n")
        self.text(element)
        if block:
            self.parts.append("\n\n")

    def note(self, element: etree._Element) -> None:
        place, n = element.get("place", ""), element.get("n", "")
        if place != "end" and self.diplomatic and element.get("type") != "unmarked":
            self.parts.append(element.get("rend") or n)  # the marker as printed
        inner = _Reading(self.diplomatic)
        inner.text(element)
        self.notes.append((place, n, "".join(inner.parts).strip()))
        self.notes.extend(inner.notes)

    def endnotes(self) -> str:
        """The endnote block: notes left at the end keep their labels; the others fill 1..k in order."""
        if not self.notes:
            return ""
        if not self.diplomatic:
            # A note without a label is called by its place among the notes, as the site does.
            return "\n\n" + "\n".join(
                f"{n or k}. {body}" for k, (_, n, body) in enumerate(self.notes, start=1)
            )
        if all(place == "end" for place, _, _ in self.notes):
            # Nothing was moved: the endnotes stand as the source had them, in its order.
            return "\n\n" + "\n".join(f"  {n}. {body}" for _, n, body in self.notes)
        # Notes were moved only if the labels were 1..k (see the footnote detector), so
        # the moved ones take the free labels in document order, and all sort by label.
        taken = {int(n) for place, n, _ in self.notes if place == "end" and n.isdigit()}
        numbered: list[tuple[int, str]] = []
        free = (k for k in range(1, len(self.notes) + len(taken) + 1) if k not in taken)
        for place, n, body in self.notes:
            label = int(n) if place == "end" and n.isdigit() else next(free)
            numbered.append((label, body))
        return "\n\n" + "\n".join(
            f"  {label}. {body}" for label, body in sorted(numbered, key=lambda pair: pair[0])
        )


def _in_choice(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and _local(parent) == "choice"


def _local(element: etree._Element) -> str:
    # What etree.QName(element).localname says, without making a QName: read for every element.
    tag = str(element.tag)
    return tag[tag.rfind("}") + 1 :]


def diplomatic_text(root: etree._Element) -> str:
    """The source as the TEI records it; whitespace runs may differ from the source's."""
    return _read(root, diplomatic=True)


def normalized_text(root: etree._Element) -> str:
    """The reading text: regularized and corrected, without page or note markers."""
    return _read(root, diplomatic=False)


def _read(root: etree._Element, diplomatic: bool) -> str:
    reading = _Reading(diplomatic)
    body = root.find(f".//{{{TEI_NS}}}body")
    if body is not None:
        reading.text(body)
    return _tidy("".join(reading.parts) + reading.endnotes())


def _tidy(text: str) -> str:
    """Blank lines between blocks, no trailing spaces: a plain text a person can read."""
    text = re.sub(r"[ \t]*\n[ \t\n]*\n[ \t\n]*", "\n\n", text)
    return text.strip() + "\n"


def first_difference(source: str, reading: str) -> int | None:
    """The source offset where ``reading`` first departs from ``source``, ignoring how whitespace runs.

    ``None`` when they agree. A run of whitespace may differ in length or kind, but
    whitespace may not appear or vanish between two other characters.
    """
    if source.split() == reading.split():
        return None  # as always but for a bug: the same words, compared at C speed
    src_tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", source)]
    out_tokens = re.findall(r"\S+|\s+", reading.strip())
    out_words = [t for t in out_tokens if not t.isspace()]
    for (offset, word), other in zip(src_tokens, out_words, strict=False):
        if word != other:
            prefix = next(
                (i for i, (a, b) in enumerate(zip(word, other, strict=False)) if a != b),
                min(len(word), len(other)),
            )
            return offset + prefix
    if len(src_tokens) > len(out_words):
        return src_tokens[len(out_words)][0]
    if len(out_words) > len(src_tokens):
        return len(source.rstrip())
    return None


def plain_text(element: etree._Element, diplomatic: bool = False) -> str:
    """An element's reading on one line, without its notes — for titles, labels and fingerprints."""
    reading = _Reading(diplomatic)
    reading.text(element)
    return " ".join("".join(reading.parts).split())  # whitespace runs as one space, none at the ends
