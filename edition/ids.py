"""Assign every identifier the edition publishes — document ids and the ids inside a document.

Ids are anchors readers cite. Documents are ``d-<slug of the file name>``. What
the source prints a name for is named after it here: ``pb301`` for the page
break to page 301, ``n26`` for the note printed as 26 (``n26-2`` when 26
repeats). Headings and paragraphs (``h1``, ``p5``) have no printed name: their
ids come from the anchors lock (`edition.anchors`), which keeps them stable
across edits; `PREFIXES` says which elements those are.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter

from lxml import etree

from edition.encode import TEI_NS, XML_NS

XML_ID = f"{{{XML_NS}}}id"

# A run of characters that may not stand in a slug, e.g. " – " in "1936 report – Moscow".
NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by hyphens: ``"1936 report – Moscow"`` → ``"1936-report-moscow"``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return NON_SLUG.sub("-", folded.lower()).strip("-")


@functools.lru_cache(maxsize=1 << 16)  # asked of every text by several stages of every build
def document_id(stem: str) -> str:
    """The id of the document read from ``texts/<stem>.txt``: an NCName, stable for the name.

    A name with no ASCII letters or digits (``Письмо.txt``) gets a short hash instead.
    """
    return "d-" + (slug(stem) or hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10])


# The elements the anchors lock names (`edition.anchors`), and the prefix of their ids.
PREFIXES = {"head": "h", "p": "p", "item": "p"}


def assign_ids(body: etree._Element) -> None:
    """Give every page break and note in ``body`` an ``xml:id`` after its printed number."""
    counters: Counter[str] = Counter()
    used: set[str] = set()
    for element in body.iter(f"{{{TEI_NS}}}*"):
        local = etree.QName(element).localname
        if local == "pb":
            base = "pb" + (slug(element.get("n", "")) or "")
        elif local == "note":
            base = "n" + slug(element.get("n", ""))
            if base == "n":
                counters["note"] += 1
                base = f"note{counters['note']}"
        else:
            continue
        minted, repeat = base, 1
        while minted in used:
            repeat += 1
            minted = f"{base}-{repeat}"
        used.add(minted)
        element.set(XML_ID, minted)


def xml_ids(root: etree._Element) -> frozenset[str]:
    """Every ``xml:id`` under ``root``: what a link into the document can point at."""
    return frozenset(
        value
        for element in root.iter()
        if isinstance(element.tag, str) and (value := element.get(XML_ID))
    )
