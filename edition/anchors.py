"""Keep paragraph and heading ids stable across edits, with a lock file the editor commits.

Page breaks and notes are named by what the source prints (``pb301``, ``n26``),
so they are stable by construction. Headings and paragraphs have no printed
name: numbering them by position would renumber every paragraph after an
inserted one. Instead each build aligns the document's blocks with the ids the
lock file recorded last time:

- a block whose text is unchanged keeps its id, wherever it moved;
- a block that was edited (a word corrected) keeps the id of the old block it
  most resembles, in order;
- a new block gets a fresh number, never used before in that document;
- an id whose block is gone is *retired*: it stays in the lock as an alias of the
  nearest surviving block, and the TEI carries ``<anchor xml:id="p7"
  type="alias" corresp="#p6"/>`` so old citations still land.

The lock is a tab-separated text file, one line per id, so that its diffs read
well in review: ``doc-id  id  hash  first words`` for a live id and ``doc-id  id
->  target`` for a retired one.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lxml import etree

from edition.diagnostics import Diagnostic, error
from edition.encode import TEI_NS, tei
from edition.ids import PREFIXES, XML_ID, document_id
from edition.reading import plain_text

if TYPE_CHECKING:
    from edition.lockfile import Lock

RETIRED = "->"
SKETCH_CHARS = 80  # enough of a block's text to recognise it after a correction elsewhere
SIMILAR = 0.6  # SequenceMatcher ratio above which an edited block keeps its old id

# An id the lock mints, e.g. "p12": a prefix and a number.
MINTED_ID = re.compile(r"(?P<prefix>[a-z]+)(?P<number>\d+)")
# A document id as `document_id` makes it, e.g. "d-003-e5b59e6160513613"; it names a folder
# of the site (a redirect page), so "../x", "/tmp/x" or "persons" must never pass.
DOCUMENT_ID = re.compile(r"d-[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Anchor:
    """One line of the lock: a live id with its block's fingerprint, or a retired alias."""

    doc: str
    id: str
    digest: str = ""  # of the block's whole normalized text
    sketch: str = ""  # its first words, for recognising an edited block
    alias_of: str = ""  # set when retired
    lock_line: int = field(default=0, compare=False)  # where the lock says it, for diagnostics

    @property
    def retired(self) -> bool:
        return bool(self.alias_of)

    def line(self) -> str:
        if self.retired:
            return f"{self.doc}\t{self.id}\t{RETIRED}\t{self.alias_of}"
        return f"{self.doc}\t{self.id}\t{self.digest}\t{self.sketch}"


def lock_text(anchors: Iterable[Anchor]) -> bytes:
    """One document's lines as the lock writes them (UTF-8): in id order, each ending a line."""
    return "".join(f"{a.line()}\n" for a in sorted(anchors, key=lambda a: _sort_key(a.id))).encode()


def parse_lock_text(text: bytes) -> tuple[Anchor, ...]:
    """One document's lines of the lock, as `lock_text` gives them, back as anchors."""
    return tuple(parse_lock_line(line) for line in split_lock_lines(text))


def split_lock_lines(text: bytes) -> list[str]:
    """Lines of the lock: ended by "\n" alone (`str.splitlines` would also split a line at
    characters such as U+2028 that a block's text may hold)."""
    return [line.decode("utf-8") for line in text.splitlines()]


def parse_lock_line(line: str, number: int = 0) -> Anchor:
    doc, anchor_id, digest, rest = line.split("\t")
    if digest == RETIRED:
        return Anchor(doc, anchor_id, alias_of=rest, lock_line=number)
    return Anchor(doc, anchor_id, digest, rest, lock_line=number)


def stabilize_ids(doc: str, body: etree._Element, previous: Sequence[Anchor]) -> list[Anchor]:
    """Give the body's headings and paragraphs their locked ids; return the document's new lock lines.

    Page breaks and notes are `edition.ids`'s to name; the
    returned anchors include the retired ones, old and new.
    """
    blocks = [e for e in body.iter(f"{{{TEI_NS}}}*") if etree.QName(e).localname in PREFIXES]
    live = [a for a in previous if not a.retired]
    retired = [a for a in previous if a.retired]
    highest: dict[str, int] = {}  # per prefix, the largest number ever minted: never reused
    for anchor in previous:
        prefix, number = _sort_key(anchor.id)
        highest[prefix] = max(highest.get(prefix, 0), number)

    result: list[Anchor] = []
    for prefix in sorted(set(PREFIXES.values())):
        new = [e for e in blocks if PREFIXES[etree.QName(e).localname] == prefix]
        old = [a for a in live if _sort_key(a.id)[0] == prefix]
        fingerprints = [_fingerprint(e) for e in new]
        chosen = _align(old, fingerprints)
        for index, element in enumerate(new):
            if index not in chosen:
                highest[prefix] = highest.get(prefix, 0) + 1
                chosen[index] = f"{prefix}{highest[prefix]}"
            element.set(XML_ID, chosen[index])
            digest, sketch = fingerprints[index]
            result.append(Anchor(doc, chosen[index], digest, sketch))
        kept = set(chosen.values())
        for position, anchor in enumerate(old):
            if anchor.id not in kept:
                target = _nearest_survivor(old, position, kept) or (chosen[0] if chosen else "")
                retired.append(Anchor(doc, anchor.id, alias_of=target or RETIRED))
    # An id whose kind has no survivor at all (the only heading deleted) names the first block.
    first = blocks[0].get(XML_ID, "") if blocks else ""
    retired = [
        Anchor(doc, a.id, alias_of=first) if a.alias_of == RETIRED else a
        for a in retired
        if a.alias_of != RETIRED or first
    ]
    live_ids = {a.id for a in result}
    final = {a.id: a for a in retired if a.id not in live_ids}  # a revived id is live again
    for anchor_id, anchor in list(final.items()):
        final[anchor_id] = Anchor(
            doc, anchor_id, alias_of=_resolve(anchor.alias_of, final, live_ids)
        )
    _place_aliases(body, [a for a in final.values() if a.alias_of in live_ids])
    return result + sorted(final.values(), key=lambda a: _sort_key(a.id))


def _fingerprint(element: etree._Element) -> tuple[str, str]:
    text = plain_text(element, diplomatic=True)  # the source's words: a new register changes nothing
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return digest, text[:SKETCH_CHARS].replace("\t", " ")


def _align(old: Sequence[Anchor], new: Sequence[tuple[str, str]]) -> dict[int, str]:
    """New block index → old id, for blocks that are the same or an edited version of an old one."""
    matcher = difflib.SequenceMatcher(
        a=[a.digest for a in old], b=[d for d, _ in new], autojunk=False
    )
    chosen: dict[int, str] = {}
    taken: set[int] = set()
    for tag, a0, a1, b0, _ in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(a1 - a0):
                chosen[b0 + offset] = old[a0 + offset].id
                taken.add(a0 + offset)
    # Blocks moved elsewhere keep their id when their text is unchanged.
    by_digest: dict[str, list[int]] = {}
    for index, anchor in enumerate(old):
        if index not in taken:
            by_digest.setdefault(anchor.digest, []).append(index)
    for index, (digest, _) in enumerate(new):
        if index not in chosen and by_digest.get(digest):
            position = by_digest[digest].pop(0)
            chosen[index] = old[position].id
            taken.add(position)
    # Edited blocks keep the id of the most similar old block between the same neighbours.
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "replace":
            continue
        for b in range(b0, b1):
            if b in chosen:
                continue
            candidates = [a for a in range(a0, a1) if a not in taken]
            scored = [
                (difflib.SequenceMatcher(a=old[a].sketch, b=new[b][1]).ratio(), -a, a)
                for a in candidates
            ]
            if scored:
                ratio, _, best = max(scored)
                if ratio >= SIMILAR:
                    chosen[b] = old[best].id
                    taken.add(best)
    return chosen


def _nearest_survivor(old: Sequence[Anchor], position: int, kept: set[str]) -> str:
    """The id of the closest block before (else after) ``position`` that is still there."""
    order: list[int] = [*range(position - 1, -1, -1), *range(position + 1, len(old))]
    survivors = [old[i].id for i in order if old[i].id in kept]
    return survivors[0] if survivors else ""


def _resolve(target: str, retired: dict[str, Anchor], live: set[str]) -> str:
    """Follow alias chains (p3 → p4 → p5) to a live id, so every alias is one hop."""
    seen = set()
    while target not in live and target in retired and target not in seen:
        seen.add(target)
        target = retired[target].alias_of
    return target


def _place_aliases(body: etree._Element, aliases: Sequence[Anchor]) -> None:
    """Put ``<anchor type="alias">`` for each retired id just before the block it now names."""
    by_id = {e.get(XML_ID): e for e in body.iter(f"{{{TEI_NS}}}*") if e.get(XML_ID)}
    for alias in sorted(aliases, key=lambda a: _sort_key(a.id)):
        target = by_id.get(alias.alias_of)
        if target is None:
            continue
        anchor = tei("anchor", {XML_ID: alias.id, "type": "alias", "corresp": f"#{alias.alias_of}"})
        if etree.QName(target).localname == "item":
            # Only items may stand in a list: the alias goes at the start inside the item.
            anchor.tail, target.text = target.text, None
            target.insert(0, anchor)
        else:
            target.addprevious(anchor)


@functools.lru_cache(maxsize=4096)  # "p1", "p2" … recur in every document of a lock
def _sort_key(anchor_id: str) -> tuple[str, int]:
    match = MINTED_ID.fullmatch(anchor_id)
    return (match["prefix"], int(match["number"])) if match else (anchor_id, 0)


# --- whole documents: renames, removals, and the check that nothing published is lost ---


def document_renames(renames: Mapping[str, str]) -> dict[str, str]:
    """Old file name → new file name (edition.yaml's ``formerly``), as old → new document id."""
    return {document_id(old): document_id(new) for old, new in renames.items()}


def carry_renames(published: Lock, renames: Mapping[str, str]) -> Lock:
    """The lock with each renamed document's ids copied to its new document id.

    ``renames`` maps old document id → new document id. The old lines stay: they
    record what the old address published, so it keeps redirecting. A new id that
    already has lines of its own (renamed on an earlier build) keeps them.
    """
    if not renames:
        return published
    copies = {
        new: (published.first_line(old), lock_text(replace(a, doc=new) for a in published[old]))
        for old, new in sorted(renames.items())
        if old in published and not published.text(new)
    }
    return published.with_lines(copies)


def document_redirects(
    published: Mapping[str, Sequence[Anchor]], renames: Mapping[str, str], built: Iterable[str]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each document id published but not built now → (its successor's id or "", its ids).

    A renamed document's successor is the document it became; a removed one has
    none ("": the edition's index). The ids are those the old page published.
    """
    present = set(built)
    redirects: dict[str, tuple[str, tuple[str, ...]]] = {}
    for old in sorted({*published, *renames} - present):
        new = renames.get(old, "")
        ids = tuple(sorted({a.id for a in published.get(old, ())}, key=_sort_key))
        redirects[old] = (new if new in present else "", ids)
    return redirects


def lost_anchors(
    published: Lock,
    built: Collection[str],
    unresolved: Mapping[str, Collection[str]],
    redirects: Mapping[str, object],
    display: str,
) -> list[Diagnostic]:
    """An error (``anchors.lost``) for every id the lock says was published that would not resolve.

    ``built`` are the document ids built now; ``unresolved`` maps each to the ids of its
    lock lines its TEI does not have (`edition.convert.Converted.unresolved`) — none
    for a document taken in as TEI (its ids are its author's). A document not built
    resolves when it has a redirect page.
    """
    problems = []
    for doc in sorted(published):
        if doc not in built:
            if doc not in redirects and published.text(doc):
                problems.append(
                    error(display, published.first_line(doc), 1,
                          f"{doc}: this document was published, but it is neither built nor "
                          "redirected; restore its text or declare its new name ('formerly:')",
                          "anchors.lost")
                )  # fmt: skip
            continue
        missing = unresolved.get(doc)
        if not missing:
            continue  # the common case: the lines are not even parsed
        for anchor in sorted(published[doc], key=lambda a: (a.lock_line, _sort_key(a.id))):
            if anchor.id not in missing:
                continue
            why = (
                f"its alias target {anchor.alias_of!r} is not in the document"
                if anchor.retired
                else "no block has it and it is not retired as an alias"
            )
            problems.append(
                error(display, anchor.lock_line, 1,
                      f"{doc}#{anchor.id} was published but would no longer resolve: {why}",
                      "anchors.lost")
            )  # fmt: skip
    return problems
